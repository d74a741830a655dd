package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * The committed boundary layers and demo geocells are valid planar polygons, cut at the antimeridian.
 * world-atlas (their source) is stitched across +-180; read as planar rings, Russia's and Fiji's coasts ran across
 * the whole map (AntimeridianCutter cuts them). Points are checked on both sides of the antimeridian.
 */
class BoundaryFilesTest {

    private static final Path BOUNDARIES = Path.of("..", "sample-data", "boundaries");
    private static final Path DEMO_GEOCELLS = Path.of("..", "sample-data", "demo-bundle", "geocells.geojson");
    private static final GeometryFactory GF = new GeometryFactory();

    /** Russia in Natural Earth 1:50m before simplification, cut at the antimeridian: 2927 square degrees (planar). */
    private static final double RUSSIA_SQUARE_DEGREES = 2927.0;

    // (lat, lon) land points; Chukotka, Wrangel Island and Fiji lie on both sides of the antimeridian.
    private static final double[][] RUSSIA = {{66.0, 150.0}, {72.0, 100.0}, {66.0, -175.0}, {71.2, 179.5}, {71.2, -179.5}};
    private static final double[] VITI_LEVU = {-17.8, 178.0};
    private static final double[] VANUA_LEVU = {-16.6, 179.3};
    private static final double[] TAVEUNI = {-16.85, -179.95};
    // Open sea on the lines the uncut rings used to draw (71.5 N across the Atlantic, 16.5 S across the Indian Ocean).
    private static final double[][] OPEN_SEA = {{71.2, 0.0}, {71.0, -140.0}, {-16.52, 80.0}, {-16.52, -100.0}};

    @Test
    void countriesAreValidAndCutAtTheAntimeridian() throws IOException {
        BoundaryLayer layer = BoundaryReader.read(BOUNDARIES.resolve("countries.geojson"), true);
        assertCutAndValid(layer);
        Map<String, Geometry> byCountry = byCountry(layer);
        Geometry russia = byCountry.get("RUS");
        for (double[] p : RUSSIA) {
            assertTrue(covers(russia, p), "RUS covers " + p[0] + "," + p[1]);
        }
        assertAreaNear(russia, "RUS in countries.geojson");
        Geometry fiji = byCountry.get("FJI");
        for (double[] p : new double[][] {VITI_LEVU, VANUA_LEVU, TAVEUNI}) {
            assertTrue(covers(fiji, p), "FJI covers " + p[0] + "," + p[1]);
        }
        assertOpenSeaUncovered(layer.units().stream().map(AdminUnit::geometry).toList(), "countries.geojson");
    }

    @Test
    void admin1IsValidAndCutAtTheAntimeridian() throws IOException {
        BoundaryLayer layer = BoundaryReader.read(BOUNDARIES.resolve("admin1.geojson"), false);
        assertCutAndValid(layer);
        Geometry chukotka = layer.units().stream().filter(u -> u.id().equals("RU-CHU")).findFirst().orElseThrow().geometry();
        for (double[] p : new double[][] {{66.0, -175.0}, {71.2, 179.5}, {71.2, -179.5}}) {
            assertTrue(covers(chukotka, p), "RU-CHU covers " + p[0] + "," + p[1]);
        }
        assertOpenSeaUncovered(layer.units().stream().map(AdminUnit::geometry).toList(), "admin1.geojson");
    }

    @Test
    void demoGeocellsAreValidAndCutAtTheAntimeridian() throws IOException {
        GeocellSet cells = GeocellGeoJson.read(DEMO_GEOCELLS);
        for (Geocell c : cells.cells()) {
            assertTrue(c.geometry().isValid(), "geocell " + c.id() + " is a valid polygon");
            assertNoLongSegments(c.geometry(), "geocell " + c.id());
        }
        Map<String, Geocell> byId = cells.cells().stream().collect(Collectors.toMap(Geocell::id, Function.identity()));
        Geometry russia = byId.get("RUS").geometry();
        for (double[] p : RUSSIA) {
            assertTrue(covers(russia, p), "geocell RUS covers " + p[0] + "," + p[1]);
        }
        assertAreaNear(russia, "geocell RUS");
        Geocell melanesia = byId.get("G-MEL");
        assertTrue(covers(melanesia.geometry(), VITI_LEVU), "geocell G-MEL covers Viti Levu");
        assertTrue(covers(melanesia.geometry(), VANUA_LEVU), "geocell G-MEL covers Vanua Levu");
        assertTrue(covers(melanesia.geometry(), new double[] {melanesia.centroid().lat(), melanesia.centroid().lon()}),
                "G-MEL's representative point lies inside it");
        assertOpenSeaUncovered(cells.cells().stream().map(c -> (Geometry) c.geometry()).toList(), "geocells.geojson");
    }

    /** Valid as read (nothing repaired by the reader) and no edge running across the map. */
    private static void assertCutAndValid(BoundaryLayer layer) {
        assertEquals(List.of(), layer.repairedNames(), layer.source() + ": features the reader had to repair");
        assertEquals(0, layer.skippedCount(), layer.source() + ": features without a usable polygon");
        for (AdminUnit u : layer.units()) {
            assertTrue(u.geometry().isValid(), layer.source() + ": " + u.id() + " is a valid polygon");
            assertNoLongSegments(u.geometry(), layer.source() + ": " + u.id());
        }
    }

    /**
     * No ring edge spans more than 180 degrees of longitude. The one exception is an edge along a pole
     * (Antarctica's southern edge at latitude -90 or -89.999), which has no length on the sphere.
     */
    private static void assertNoLongSegments(Geometry g, String what) {
        for (LineString ring : rings(g)) {
            Coordinate[] cs = ring.getCoordinates();
            for (int i = 1; i < cs.length; i++) {
                boolean alongPole = Math.abs(cs[i - 1].y) > 89.99 && Math.abs(cs[i].y) > 89.99;
                if (!alongPole) {
                    double span = Math.abs(cs[i].x - cs[i - 1].x);
                    assertTrue(span <= 180.0, what + ": ring edge " + cs[i - 1] + " -> " + cs[i] + " spans " + span
                            + " degrees of longitude");
                }
            }
        }
    }

    private static List<LineString> rings(Geometry g) {
        List<LineString> out = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            out.add(p.getExteriorRing());
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                out.add(p.getInteriorRingN(h));
            }
        }
        return out;
    }

    private static void assertAreaNear(Geometry russia, String what) {
        double area = russia.getArea();
        assertTrue(Math.abs(area - RUSSIA_SQUARE_DEGREES) <= 0.05 * RUSSIA_SQUARE_DEGREES,
                what + " has " + area + " square degrees, expected " + RUSSIA_SQUARE_DEGREES + " +- 5%");
    }

    private static void assertOpenSeaUncovered(List<Geometry> geometries, String file) {
        for (double[] p : OPEN_SEA) {
            assertFalse(geometries.stream().anyMatch(g -> covers(g, p)), file + ": nothing covers the open sea at "
                    + p[0] + "," + p[1]);
        }
    }

    private static Map<String, Geometry> byCountry(BoundaryLayer layer) {
        return layer.units().stream().collect(Collectors.toMap(AdminUnit::country, AdminUnit::geometry, Geometry::union));
    }

    private static boolean covers(Geometry g, double[] latLon) {
        return g.covers(GF.createPoint(new Coordinate(latLon[1], latLon[0])));
    }
}
