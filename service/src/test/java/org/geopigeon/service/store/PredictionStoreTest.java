package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PredictionStoreTest {

    private static GeocellSet cells;
    private static BundleManifest manifest;

    @BeforeAll
    static void demo() {
        cells = DemoData.geocells();
        manifest = DemoData.manifest();
    }

    private static AuditEntry entry() {
        return AuditEntry.accepted("bob", "127.0.0.1", "testing", List.of("cd".repeat(32)), Map.of("topK", 3),
                manifest.name());
    }

    @Test
    void registrationIsIdempotentAndStoresEveryGeocell() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("register");
        PredictionStore store = new PredictionStore(db.dataSource());
        RegisteredModel a = store.register(manifest, cells, "demo");
        RegisteredModel b = store.register(manifest, cells, "demo");
        assertEquals(a, b);
        assertEquals(cells.size(), count(db, "SELECT count(*) FROM geopigeon.geocells WHERE set_id = " + a.geocellSetId()));
        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.models"));
        assertEquals(0, count(db, "SELECT count(*) FROM geopigeon.geocells WHERE NOT ST_IsValid(geom)"
                + " OR ST_SRID(geom) <> 4326"));
    }

    @Test
    void aModelNameCannotBeReusedWithOtherGeocells() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("rename");
        PredictionStore store = new PredictionStore(db.dataSource());
        store.register(manifest, cells, "demo");
        GeocellSet fewer = new GeocellSet("fewer", cells.cells().subList(0, 3));
        StoreException e = assertThrows(StoreException.class, () -> store.register(manifest, fewer, "other"));
        assertTrue(e.getMessage().contains(manifest.name()) && e.getMessage().contains("new name"), e.getMessage());
    }

    @Test
    void storesPredictionCellsAndAuditRowTogetherAndTheViewsShowThem() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("store");
        PredictionStore store = new PredictionStore(db.dataSource());
        RegisteredModel model = store.register(manifest, cells, "demo");
        LatLon exif = new LatLon(48.85, 2.35);
        Prediction p = DemoData.prediction(cells, manifest.name(), 2, 3, exif);

        StoredPrediction s = store.store(model, entry(), p, 3);

        assertEquals(1, store.countPredictions());
        assertEquals(3, count(db, "SELECT count(*) FROM geopigeon.prediction_cells WHERE prediction_id = " + s.predictionId()));
        assertEquals(s.auditId(), count(db, "SELECT audit_id FROM geopigeon.predictions WHERE id = " + s.predictionId()));
        assertEquals(s.predictionId(), count(db, "SELECT prediction_id FROM geopigeon.audit_log WHERE id = " + s.auditId()));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());

        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT fid, rank, probability, cell_id, GeometryType(geom), ST_SRID(geom)"
                    + " FROM geopigeon.predicted_cells ORDER BY rank")) {
                for (int rank = 1; rank <= 3; rank++) {
                    rs.next();
                    assertEquals(s.predictionId() + "-" + rank, rs.getString(1));
                    assertEquals(rank, rs.getInt(2));
                    assertEquals(p.topCells().get(rank - 1).probability(), rs.getDouble(3), 1e-12);
                    assertEquals(p.topCells().get(rank - 1).cell().id(), rs.getString(4));
                    assertEquals("MULTIPOLYGON", rs.getString(5));
                    assertEquals(4326, rs.getInt(6));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT fid, ST_X(geom), ST_Y(geom), top1_cell_id, exif_distance_km,"
                    + " confidence, model FROM geopigeon.predicted_points")) {
                rs.next();
                assertEquals(String.valueOf(s.predictionId()), rs.getString(1));
                assertEquals(p.location().lon(), rs.getDouble(2), 1e-9);
                assertEquals(p.location().lat(), rs.getDouble(3), 1e-9);
                assertEquals(p.topCells().get(0).cell().id(), rs.getString(4));
                double expectedKm = org.geopigeon.engine.geo.Haversine.km(p.location(), exif);
                assertEquals(expectedKm, rs.getDouble(5), 0.001, "the API's distance (haversine) to within 1 m");
                assertEquals(0.42, rs.getDouble(6), 1e-12);
                assertEquals(manifest.name(), rs.getString(7));
            }
        }
    }

    @Test
    void whenTheAuditRowCannotBeWrittenNothingIsStored() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("failclosed");
        PredictionStore store = new PredictionStore(db.dataSource());
        RegisteredModel model = store.register(manifest, cells, "demo");
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION public.break_audit() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'audit disk full'; END $$");
            s.execute("CREATE TRIGGER zz_break BEFORE INSERT ON geopigeon.audit_log"
                    + " FOR EACH ROW EXECUTE FUNCTION public.break_audit()");
        }
        Prediction p = DemoData.prediction(cells, manifest.name(), 0, 2, null);
        ServerLog log = ServerLog.capture();
        StoreException e;
        try {
            e = assertThrows(StoreException.class, () -> store.store(model, entry(), p, 2));
        } finally {
            log.stop();
        }
        assertTrue(e.getMessage().contains("nothing was stored"), e.getMessage());
        assertFalse(e.getMessage().contains("audit disk full") || e.getMessage().contains("INSERT")
                || e.getMessage().contains("PSQLException"), "no driver text for clients: " + e.getMessage());
        assertTrue(e.getMessage().contains("incident " + e.incidentId()), e.getMessage());
        assertTrue(log.lineWith("incident " + e.incidentId()).contains("audit disk full"),
                "the server log has the detail under the id the client sees:\n" + log.text());
        assertEquals(0, count(db, "SELECT count(*) FROM geopigeon.predictions"));
        assertEquals(0, count(db, "SELECT count(*) FROM geopigeon.prediction_cells"));
        assertEquals(0, count(db, "SELECT count(*) FROM geopigeon.audit_log"));
    }

    @Test
    void aPredictionOfAnotherModelIsRejected() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("othermodel");
        PredictionStore store = new PredictionStore(db.dataSource());
        RegisteredModel model = store.register(manifest, cells, "demo");
        Prediction p = DemoData.prediction(cells, "someone-else", 0, 2, null);
        assertThrows(IllegalArgumentException.class, () -> store.store(model, entry(), p, 2));
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
