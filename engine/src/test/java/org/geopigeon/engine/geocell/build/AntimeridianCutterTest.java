package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * Rings stitched across the antimeridian (d3 geostitch / world-atlas style) become planar polygons inside
 * [-180, 180]; rings around a pole are closed through the pole on their right; ordinary polygons are untouched.
 */
class AntimeridianCutterTest {

    @TempDir
    Path dir;

    /** lon 170..-170 (across 180), lat -20..-10, written with the jump 180 -> -180 as world-atlas does. */
    private static final double[][] STITCHED_SQUARE = {{170, -20}, {180, -20}, {-180, -20}, {-170, -20}, {-170, -10},
        {-180, -10}, {180, -10}, {170, -10}, {170, -20}};

    /** Along lat -70 eastwards all round the globe, closed by the jump 180 -> -180: encloses the South Pole. */
    private static final double[][] SOUTH_POLAR_RING = {{-180, -70}, {-90, -70}, {0, -70}, {90, -70}, {180, -70},
        {-180, -70}};

    @Test
    void squareAcrossTheAntimeridianIsCutIntoTwoParts() {
        Geometry cut = AntimeridianCutter.cut(polygon(STITCHED_SQUARE));
        assertInstanceOf(MultiPolygon.class, cut);
        assertTrue(cut.isValid(), "valid after the cut: " + cut);
        assertEquals(2, cut.getNumGeometries(), "one part each side of the antimeridian");
        assertTrue(covers(cut, -15, 175) && covers(cut, -15, -175), "both sides covered");
        assertFalse(covers(cut, -15, 0), "the junk band across the map is gone");
        assertEquals(200.0, cut.getArea(), 1e-9, "20 x 10 degrees, no more");
        assertTrue(cut.getEnvelopeInternal().getMinX() >= -180 && cut.getEnvelopeInternal().getMaxX() <= 180);
    }

    @Test
    void jumpWithoutVerticesOnTheAntimeridianIsCutToo() {
        // 170 -> -170 directly (GeoJSON made from world-atlas after simplification often has no vertex at +-180).
        Geometry cut = AntimeridianCutter.cut(polygon(new double[][] {{170, 0}, {-170, 0}, {-170, 5}, {170, 5}, {170, 0}}));
        assertTrue(cut.isValid());
        assertEquals(2, cut.getNumGeometries());
        assertEquals(100.0, cut.getArea(), 1e-9);
        assertTrue(covers(cut, 2, 179.9) && covers(cut, 2, -179.9));
        assertFalse(covers(cut, 2, 0));
    }

    @Test
    void ringAroundTheSouthPoleIsClosedThroughThePole() {
        Geometry cut = AntimeridianCutter.cut(polygon(SOUTH_POLAR_RING));
        assertTrue(cut.isValid(), "valid: " + cut);
        assertTrue(covers(cut, -80, 0) && covers(cut, -80, 120) && covers(cut, -89.9, -179.9), "the cap around the pole");
        assertFalse(covers(cut, -60, 0), "nothing north of the ring");
        assertEquals(360.0 * 20, cut.getArea(), 1e-6);
    }

    @Test
    void westwardPolarRingEnclosesTheNorthPole() {
        // d3's rule: the interior lies on the right of the ring; going west along -70 that is everything north of it.
        double[][] westward = reversed(SOUTH_POLAR_RING);
        Geometry cut = AntimeridianCutter.cut(polygon(westward));
        assertTrue(cut.isValid());
        assertTrue(covers(cut, -60, 0) && covers(cut, 80, 120));
        assertFalse(covers(cut, -80, 0));
    }

    @Test
    void polygonsWithoutLongStepsAreReturnedAsTheSameObjects() {
        Polygon ordinary = polygon(new double[][] {{-10, 0}, {170, 0}, {170, 5}, {-10, 5}, {-10, 0}});
        Polygon copy = (Polygon) ordinary.copy();
        assertFalse(AntimeridianCutter.needsCut(ordinary), "a step of exactly 180 degrees is a real edge");
        assertSame(ordinary, AntimeridianCutter.cut(ordinary));
        assertTrue(copy.equalsExact(AntimeridianCutter.cut(ordinary)));

        Polygon fine = polygon(new double[][] {{175, -18}, {178, -18}, {178, -16}, {175, -16}, {175, -18}});
        MultiPolygon mixed = GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {fine, polygon(STITCHED_SQUARE)});
        Geometry cut = AntimeridianCutter.cut(mixed);
        assertSame(fine, cut.getGeometryN(0), "parts that do not cross keep their coordinates");
        assertEquals(3, cut.getNumGeometries());
    }

    @Test
    void polarCapAlreadyCutIsNotCutAgain() {
        // The planar form of the South Pole cap (Natural Earth's, or AntimeridianCutter output): down both map edges
        // and back along the pole line in one long edge, which is a map edge, not a crossing.
        Polygon cap = polygon(new double[][] {{-180, -70}, {-90, -70}, {0, -70}, {90, -70}, {180, -70}, {180, -90},
            {-180, -90}, {-180, -70}});
        assertFalse(AntimeridianCutter.needsCut(cap));
        assertSame(cap, AntimeridianCutter.cut(cap));
    }

    @Test
    void rejectsNonPolygonalInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AntimeridianCutter.cut(GeoJsonGeometry.WGS84.createPoint(new Coordinate(0, 0))));
        assertTrue(e.getMessage().contains("Point"), e.getMessage());
    }

    @Test
    void quantizedTopoJsonAcrossTheAntimeridianIsCutByTheReader() throws IOException {
        // scale 0.5, translate (-180, -90): x = (lon + 180) * 2, y = (lat + 90) * 2; positions after the first are deltas.
        // Arc 0: STITCHED_SQUARE (700,140) (720,140) (0,140) (20,140) (20,160) (0,160) (720,160) (700,160) (700,140).
        // Arc 1: SOUTH_POLAR_RING (0,40) (180,40) (360,40) (540,40) (720,40) (0,40).
        // Arc 2: an ordinary square lon 10..20, lat 0..10: (380,180) (400,180) (400,200) (380,200) (380,180).
        String topo = """
            {"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[-180,-90]},
             "objects":{"countries":{"type":"GeometryCollection","geometries":[
               {"type":"MultiPolygon","arcs":[[[0]]],"properties":{"name":"Fijiland","adm0_a3":"FJL"}},
               {"type":"Polygon","arcs":[[1]],"properties":{"name":"Antarctica","adm0_a3":"ATA"}},
               {"type":"Polygon","arcs":[[2]],"properties":{"name":"Plain","adm0_a3":"PLN"}}]}},
             "arcs":[[[700,140],[20,0],[-720,0],[20,0],[0,20],[-20,0],[720,0],[-20,0],[0,-20]],
                     [[0,40],[180,0],[180,0],[180,0],[180,0],[-720,0]],
                     [[380,180],[20,0],[0,20],[-20,0],[0,-20]]]}
            """;
        Path f = dir.resolve("stitched.topojson");
        Files.writeString(f, topo);
        BoundaryLayer layer = BoundaryReader.read(f, true);
        assertEquals(3, layer.units().size());
        assertEquals(2, layer.antimeridianCutCount());
        assertEquals(List.of("Fijiland" + BoundaryReader.CUT_NOTE, "Antarctica" + BoundaryReader.CUT_NOTE),
                layer.repairedNames());

        Geometry fiji = layer.units().get(0).geometry();
        assertTrue(fiji.isValid());
        assertTrue(covers(fiji, -15, 175) && covers(fiji, -15, -175));
        assertFalse(covers(fiji, -15, 0));
        Geometry antarctica = layer.units().get(1).geometry();
        assertTrue(antarctica.isValid());
        assertTrue(covers(antarctica, -80, 0) && covers(antarctica, -80, 120));
        assertFalse(covers(antarctica, -60, 0));
        Geometry plain = layer.units().get(2).geometry();
        assertTrue(plain.equalsExact(polygon(new double[][] {{10, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 0}})),
                "untouched: " + plain);
    }

    @Test
    void stitchedGeoJsonIsCutAndOtherFeaturesKeepTheirCoordinates() throws IOException {
        ObjectNode fc = SyntheticWorld.featureCollection();
        Polygon plain = polygon(new double[][] {{10.1234567, 0.1}, {20.5, 0.3}, {20.25, 10.7}, {10.1234567, 0.1}});
        SyntheticWorld.addFeature(fc, polygon(STITCHED_SQUARE), "name", "Fijiland", "adm0_a3", "FJL");
        SyntheticWorld.addFeature(fc, plain, "name", "Plain", "adm0_a3", "PLN");
        Path f = dir.resolve("stitched.geojson");
        SyntheticWorld.JSON.writeValue(f.toFile(), fc);
        BoundaryLayer layer = BoundaryReader.read(f, true);
        assertEquals(1, layer.antimeridianCutCount());
        assertEquals(List.of("Fijiland" + BoundaryReader.CUT_NOTE), layer.repairedNames());
        Geometry fiji = layer.units().get(0).geometry();
        assertTrue(fiji.isValid() && covers(fiji, -15, 175) && covers(fiji, -15, -175) && !covers(fiji, -15, 0));
        assertTrue(plain.equalsExact(layer.units().get(1).geometry()), "bit-identical coordinates");
    }

    private static boolean covers(Geometry g, double lat, double lon) {
        return g.covers(GeoJsonGeometry.WGS84.createPoint(new Coordinate(lon, lat)));
    }

    private static Polygon polygon(double[][] lonLat) {
        Coordinate[] cs = new Coordinate[lonLat.length];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = new Coordinate(lonLat[i][0], lonLat[i][1]);
        }
        LinearRing ring = GeoJsonGeometry.WGS84.createLinearRing(cs);
        return GeoJsonGeometry.WGS84.createPolygon(ring);
    }

    private static double[][] reversed(double[][] ring) {
        double[][] r = new double[ring.length][];
        for (int i = 0; i < ring.length; i++) {
            r[i] = ring[ring.length - 1 - i];
        }
        return r;
    }
}
