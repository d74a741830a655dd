package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;

/** Batch audit rows are written once per idempotency key, whatever the number of retries. */
class AuditBatchTest {

    private final GeocellSet cells = DemoData.geocells();
    private final BundleManifest manifest = DemoData.manifest();

    private static AuditEntry accepted(String hash) {
        return AuditEntry.accepted("batch-user", "driver-host", "archive triage", List.of(hash),
                Map.of("interface", "spark", "job", "job-1"), "demo");
    }

    private static UUID key(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aRetriedBatchAddsOnlyTheRowsThatAreMissingAndTheChainStillVerifies() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("auditbatch");
        AuditBatch batch = new AuditBatch(db.dataSource());
        AuditBatch.Item a = new AuditBatch.Item(key("k-a"), accepted("aa".repeat(32)), null, 5);
        AuditBatch.Item b = new AuditBatch.Item(key("k-b"), accepted("bb".repeat(32)).refused(ErrorCode.INVALID_IMAGE),
                null, 5);
        AuditBatch.Item c = new AuditBatch.Item(key("k-c"), accepted("cc".repeat(32)), null, 5);

        List<AuditBatch.Recorded> first = batch.record(List.of(a, b), null);
        assertFalse(first.get(0).alreadyRecorded());
        assertFalse(first.get(1).alreadyRecorded());

        // The retry sees a and b again, plus c that the failed attempt never reached.
        List<AuditBatch.Recorded> retry = batch.record(List.of(a, b, c), null);
        assertEquals(List.of(true, true, false), retry.stream().map(AuditBatch.Recorded::alreadyRecorded).toList());
        assertEquals(first.get(0).auditId(), retry.get(0).auditId());
        assertEquals(first.get(1).auditId(), retry.get(1).auditId());

        assertEquals(3, count(db, "SELECT count(*) FROM geopigeon.audit_log"));
        assertEquals(3, count(db, "SELECT count(DISTINCT request_key) FROM geopigeon.audit_log"));
        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.audit_log WHERE outcome = 'refused'"
                + " AND error_code = 'INVALID_IMAGE'"));
        ChainStatus status = new AuditLog(db.dataSource()).verify();
        assertTrue(status.intact(), status::toString);
        assertEquals(3, status.rowsChecked());
    }

    @Test
    void storedPredictionsAreWrittenOnceWithTheirAuditRow() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("auditbatchstore");
        RegisteredModel model = new PredictionStore(db.dataSource()).register(manifest, cells, "demo");
        Prediction p = DemoData.prediction(cells, manifest.name(), 1, 3, null);
        AuditBatch.Item located = new AuditBatch.Item(key("k-1"), accepted("11".repeat(32)), p, 3);
        AuditBatch.Item refused = new AuditBatch.Item(key("k-2"), accepted("22".repeat(32)).refused(ErrorCode.INVALID_IMAGE),
                null, 3);
        AuditBatch batch = new AuditBatch(db.dataSource());

        AuditBatch.Recorded first = batch.record(List.of(located, refused), model).get(0);
        List<AuditBatch.Recorded> again = batch.record(List.of(located, refused), model);

        assertEquals(first.predictionId(), again.get(0).predictionId());
        assertNull(again.get(1).predictionId());
        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.predictions"));
        assertEquals(3, count(db, "SELECT count(*) FROM geopigeon.prediction_cells"));
        assertEquals(first.auditId(), count(db, "SELECT audit_id FROM geopigeon.predictions"));
        assertEquals(2, count(db, "SELECT count(*) FROM geopigeon.audit_log"));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void aFailingRowRollsBackTheWholeBatch() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("auditbatchfail");
        AuditBatch batch = new AuditBatch(db.dataSource());
        AuditEntry bad = new AuditEntry("u", null, "p", List.of(), Map.of(), Outcome.ACCEPTED, null, null, "m\u0000");
        StoreException e = assertThrows(StoreException.class, () -> batch.record(List.of(
                new AuditBatch.Item(key("k-ok"), accepted("aa".repeat(32)), null, 5),
                new AuditBatch.Item(key("k-bad"), bad, null, 5)), null));
        assertTrue(e.getMessage().contains("none of them was written"), e.getMessage());
        assertEquals(0, count(db, "SELECT count(*) FROM geopigeon.audit_log"));
    }

    @Test
    void keysMustBeDistinctWithinABatch() {
        AuditBatch batch = new AuditBatch(ThrowawayPostgis.get().createMigratedDatabase("auditbatchdup").dataSource());
        AuditBatch.Item a = new AuditBatch.Item(key("same"), accepted("aa".repeat(32)), null, 5);
        assertThrows(IllegalArgumentException.class, () -> batch.record(List.of(a, a), null));
        assertThrows(NullPointerException.class, () -> new AuditBatch.Item(null, accepted("aa"), null, 5));
    }
}
