package org.geopigeon.bench.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/** The boundary-file builder: world-atlas style TopoJSON in, GeoJSON cut at the antimeridian out. */
class AntimeridianCutTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // Quantized like world-atlas (scale 1 degree, translate -180/-90, delta-encoded arcs):
    // arc 0: a 20 x 5 degree box from 170 E to 170 W stitched across +-180 (170 -> -170 is a jump of 340 degrees),
    // arc 1: an ordinary square at 10..20 E, 40..45 N.
    private static final String TOPO = """
            {"type":"Topology","transform":{"scale":[1,1],"translate":[-180,-90]},
             "objects":{"countries":{"type":"GeometryCollection","geometries":[
               {"type":"Polygon","arcs":[[0]],"id":"242","properties":{"name":"Stitched"}},
               {"type":"MultiPolygon","arcs":[[[1]]],"properties":{"name":"Plain"}},
               {"type":null,"properties":{"name":"Nothing"}}]}},
             "arcs":[[[350,90],[-340,0],[0,5],[340,0],[0,-5]],
                     [[190,130],[10,0],[0,5],[-10,0],[0,-5]]]}
            """;

    @Test
    void cutsStitchedRingsKeepsPropertiesAndIdsAndDropsFeaturesWithoutPolygons(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cut.geojson");
        AntimeridianCut.Summary s = AntimeridianCut.cut(MAPPER.readTree(TOPO), "countries", out);
        assertEquals(new AntimeridianCut.Summary(2, 1, 1), s);

        JsonNode features = MAPPER.readTree(out.toFile()).path("features");
        assertEquals(2, features.size());
        JsonNode stitched = features.get(0);
        assertEquals("Stitched", stitched.path("properties").path("name").asText());
        assertEquals("242", stitched.path("id").asText());
        Geometry g = GeoJsonGeometry.read(stitched.path("geometry"));
        assertEquals("MultiPolygon", g.getGeometryType());
        assertEquals(2, g.getNumGeometries(), "one piece each side of the antimeridian");
        assertEquals(100.0, g.getArea(), 1e-9, "20 x 5 degrees survive the cut");
        assertTrue(g.getEnvelopeInternal().getMinX() >= -180 && g.getEnvelopeInternal().getMaxX() <= 180);
        assertTrue(g.covers(GeoJsonGeometry.WGS84.createPoint(new Coordinate(175, 2.5))));
        assertTrue(g.covers(GeoJsonGeometry.WGS84.createPoint(new Coordinate(-175, 2.5))));
        assertTrue(!g.covers(GeoJsonGeometry.WGS84.createPoint(new Coordinate(0, 2.5))), "no band across the map");

        Geometry plain = GeoJsonGeometry.read(features.get(1).path("geometry"));
        assertEquals(50.0, plain.getArea(), 1e-9);
        assertTrue(features.get(1).path("id").isMissingNode(), "no id invented");
    }

    @Test
    void namesTheMissingObject(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AntimeridianCut.cut(MAPPER.readTree(TOPO), "land", dir.resolve("x.geojson")));
        assertEquals("TopoJSON has no object 'land' (it has [countries])", e.getMessage());
    }
}
