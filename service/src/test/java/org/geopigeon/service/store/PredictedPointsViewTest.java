package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code geopigeon.predicted_points}: the EXIF distance is the README's one definition (haversine, R = 6371.0088 km,
 * as the API computes it in Java) and the error line runs the short way round, split at the antimeridian.
 */
class PredictedPointsViewTest {

    private static TestDatabase db;
    private static PredictionStore store;
    private static RegisteredModel model;
    private static GeocellSet cells;
    private static BundleManifest manifest;

    @BeforeAll
    static void database() {
        db = ThrowawayPostgis.get().createMigratedDatabase("points_view");
        cells = DemoData.geocells();
        manifest = DemoData.manifest();
        store = new PredictionStore(db.dataSource());
        model = store.register(manifest, cells, "demo");
    }

    @Test
    void exifDistanceEqualsTheJavaHaversineToWithinOneMetre() throws SQLException {
        double[][] pairs = {
            {48.8566, 2.3522, 51.5074, -0.1278},    // Paris - London
            {-17.7134, 178.0650, -13.8333, -171.75}, // Fiji - Samoa, across the antimeridian
            {0, 0, 0.5, 179.5},                       // nearly antipodal
            {89.9, 10, -89.9, -170},                  // pole to pole
            {35.6762, 139.6503, 35.6763, 139.6504},   // 14 m apart
            {10, 20, 10, 20},                         // the same place
        };
        for (double[] p : pairs) {
            LatLon estimate = new LatLon(p[0], p[1]);
            LatLon exif = new LatLon(p[2], p[3]);
            long id = storeAt(estimate, exif);
            double viewKm = queryDouble("SELECT exif_distance_km FROM geopigeon.predicted_points WHERE prediction_id = ?", id);
            assertEquals(Haversine.km(estimate, exif), viewKm, 0.001, "distance " + estimate + " -> " + exif);
        }
    }

    @Test
    void theSphereHasTheIuggMeanRadiusNotTheSpheroid() throws SQLException {
        // A quarter meridian on the sphere is pi/2 * 6371.0088 km = 10007.557 km; on WGS84 it is 10001.966 km.
        double km = queryDouble("SELECT geopigeon.sphere_distance_km(ST_SetSRID(ST_MakePoint(0, 0), 4326),"
                + " ST_SetSRID(ST_MakePoint(0, 90), 4326)) + ?", 0L);
        assertEquals(Math.PI / 2 * Haversine.EARTH_RADIUS_KM, km, 1e-6);
    }

    @Test
    void anErrorLineAcrossTheAntimeridianGoesTheShortWaySplitAt180() throws SQLException {
        long id = storeAt(new LatLon(10, 179), new LatLon(12, -179));
        assertEquals("MULTILINESTRING((179 10,180 11),(-180 11,-179 12))", errorLine(id));
        assertEquals(2 * Math.hypot(1, 1), queryDouble("SELECT ST_Length(error_line) FROM geopigeon.predicted_points"
                + " WHERE prediction_id = ?", id), 1e-9, "4 degrees of longitude, not 356");

        long west = storeAt(new LatLon(0, -170), new LatLon(20, 170));
        assertEquals("MULTILINESTRING((-170 0,-180 10),(180 10,170 20))", errorLine(west));
    }

    @Test
    void anErrorLineThatNeedNotCrossIsOneStraightPart() throws SQLException {
        long id = storeAt(new LatLon(48, 2), new LatLon(51, -1));
        assertEquals("MULTILINESTRING((2 48,-1 51))", errorLine(id));
        // 180 degrees apart exactly: both ways are as long; the line stays within -180..180
        long half = storeAt(new LatLon(0, -90), new LatLon(0, 90));
        assertEquals("MULTILINESTRING((-90 0,90 0))", errorLine(half));
    }

    @Test
    void aPointOnTheAntimeridianGivesOnePartAndNoDegenerateOne() throws SQLException {
        assertEquals("MULTILINESTRING((-180 0,-170 10))", line(180, 0, -170, 10));
        assertEquals("MULTILINESTRING((170 0,180 10))", line(170, 0, -180, 10));
    }

    @Test
    void withoutExifThereIsNoLineAndNoDistance() throws SQLException {
        long id = storeAt(new LatLon(48, 2), null);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT exif_distance_km, error_line, exif_geom FROM geopigeon.predicted_points WHERE prediction_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNull(rs.getObject(1));
                assertNull(rs.getObject(2));
                assertNull(rs.getObject(3));
            }
        }
    }

    private static String line(double x1, double y1, double x2, double y2) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ST_AsText(geopigeon.error_line(ST_SetSRID(ST_MakePoint(?, ?), 4326),"
                        + " ST_SetSRID(ST_MakePoint(?, ?), 4326)))")) {
            ps.setDouble(1, x1);
            ps.setDouble(2, y1);
            ps.setDouble(3, x2);
            ps.setDouble(4, y2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long storeAt(LatLon estimate, LatLon exif) {
        Prediction top = DemoData.prediction(cells, manifest.name(), 0, 2, exif);
        Prediction p = new Prediction(estimate, true, top.confidence(), top.topCells(), top.topCellCentroid(), exif,
                top.timings(), top.model());
        AuditEntry entry = AuditEntry.accepted("view test", null, "testing the view", List.of("ee".repeat(32)),
                Map.of(), manifest.name());
        return store.store(model, entry, p, 2).predictionId();
    }

    private static String errorLine(long predictionId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ST_AsText(error_line), ST_SRID(error_line) FROM geopigeon.predicted_points"
                        + " WHERE prediction_id = ?")) {
            ps.setLong(1, predictionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(4326, rs.getInt(2));
                return rs.getString(1);
            }
        }
    }

    private static double queryDouble(String sql, long parameter) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getDouble(1);
            }
        }
    }
}
