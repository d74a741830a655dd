package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/** Points CSV, photo folders and boundary files: good input is read, bad input gets a clear message. */
class InputReadersTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void csvWithHeaderInAnyOrderAndWeights() throws IOException {
        PointSet s = PointSet.readCsv(file("p.csv", "LON,LAT,weight\n2.35,48.85,2\n-0.1,51.5,1\n"));
        assertEquals(2, s.points().size());
        assertEquals(48.85, s.points().get(0).lat());
        assertEquals(2.35, s.points().get(0).lon());
        assertEquals(2.0, s.points().get(0).weight());
    }

    @Test
    void badRowsAreSkippedAndCounted() throws IOException {
        PointSet s = PointSet.readCsv(file("p.csv", "48.85,2.35\nNaN,2\n95,10\n10,200\nabc,def\n51.5,-0.1\n"));
        assertEquals(2, s.points().size());
        assertEquals(4, s.skipped());
        assertTrue(s.notes().get(0).contains("4 of 6 rows skipped"), s.notes().toString());
    }

    @Test
    void emptyOrAllBadCsvFails() throws IOException {
        IOException empty = assertThrows(IOException.class, () -> PointSet.readCsv(file("e.csv", "")));
        assertTrue(empty.getMessage().contains("e.csv") && empty.getMessage().contains("no data rows"), empty.getMessage());
        IOException bad = assertThrows(IOException.class, () -> PointSet.readCsv(file("b.csv", "lat,lon\nNaN,1\n91,0\n")));
        assertTrue(bad.getMessage().contains("none of its 2 rows"), bad.getMessage());
        IOException header = assertThrows(IOException.class, () -> PointSet.readCsv(file("h.csv", "foo,bar\n1,2\n")));
        assertTrue(header.getMessage().contains("does not name lat and lon"), header.getMessage());
    }

    @Test
    void photoFolderWithoutGpsFails() throws IOException {
        Files.write(dir.resolve("not-a-photo.jpg"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> PhotoPointReader.read(dir));
        assertTrue(e.getMessage().contains("none of its 1 images has EXIF GPS"), e.getMessage());
    }

    @Test
    void invalidBoundaryPolygonIsRepairedAndReported() throws IOException {
        ObjectNode fc = SyntheticWorld.featureCollection();
        Geometry bowtie = GeoJsonGeometry.WGS84.createPolygon(new Coordinate[] {new Coordinate(0, 0), new Coordinate(2, 2),
            new Coordinate(2, 0), new Coordinate(0, 2), new Coordinate(0, 0)});
        SyntheticWorld.addFeature(fc, bowtie, "name", "Bowtie", "adm0_a3", "AAA");
        SyntheticWorld.addFeature(fc, SyntheticWorld.box(5, 5, 6, 6), "name", "Square", "adm0_a3", "AAA");
        Path f = dir.resolve("b.geojson");
        SyntheticWorld.JSON.writeValue(f.toFile(), fc);
        BoundaryLayer layer = BoundaryReader.read(f, false);
        assertEquals(List.of("Bowtie"), layer.repairedNames());
        Geometry fixed = layer.units().get(0).geometry();
        assertTrue(fixed.isValid());
        assertEquals(2.0, fixed.getArea(), 1e-9, "both triangles of the bowtie are kept");
    }

    @Test
    void boundaryFileErrorsNameTheFile() throws IOException {
        IOException empty = assertThrows(IOException.class, () -> BoundaryReader.read(file("x.geojson", ""), false));
        assertTrue(empty.getMessage().contains("x.geojson") && empty.getMessage().contains("empty"));
        IOException json = assertThrows(IOException.class, () -> BoundaryReader.read(file("y.geojson", "{oops"), false));
        assertTrue(json.getMessage().contains("not valid JSON"), json.getMessage());
        IOException kind = assertThrows(IOException.class,
                () -> BoundaryReader.read(file("z.geojson", "{\"type\":\"Feature\"}"), false));
        assertTrue(kind.getMessage().contains("neither a GeoJSON FeatureCollection nor a TopoJSON"), kind.getMessage());
    }

    @Test
    void topoJsonWithQuantizedDeltaArcsAndReversedSharedArc() throws IOException {
        // Two unit squares sharing the edge x=1: arc 0 is the shared edge (1,0)->(1,1), used reversed (~0 = -1) by the right square.
        String topo = """
            {"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[10,20]},
             "objects":{"units":{"type":"GeometryCollection","geometries":[
               {"type":"Polygon","arcs":[[0,1]],"properties":{"name":"Left","adm0_a3":"AAA"}},
               {"type":"MultiPolygon","arcs":[[[-1,2]]],"id":"R","properties":{"name":"Right","adm0_a3":"AAA"}}]},
              "land":{"type":"Polygon","arcs":[[1,2]]}},
             "arcs":[[[2,0],[0,2]],
                     [[2,2],[-2,0],[0,-2],[2,0]],
                     [[2,0],[2,0],[0,2],[-2,0]]]}
            """;
        BoundaryLayer layer = BoundaryReader.read(file("t.topojson", topo), false);
        assertEquals(2, layer.units().size(), "the object with the most geometries is read");
        Geometry left = layer.units().get(0).geometry();
        Geometry right = layer.units().get(1).geometry();
        assertTrue(left.isValid() && right.isValid());
        assertEquals(1.0, left.getArea(), 1e-12);
        assertEquals(1.0, right.getArea(), 1e-12);
        assertEquals(10.0, left.getEnvelopeInternal().getMinX(), 1e-12);
        assertEquals(11.0, right.getEnvelopeInternal().getMinX(), 1e-12);
        assertEquals(21.0, right.getEnvelopeInternal().getMaxY(), 1e-12);
        assertEquals("R", layer.units().get(1).id());
        assertTrue(left.touches(right));
    }
}
