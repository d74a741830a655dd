package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit log is append-only, hash-chained in the database, and tampering is detected. */
class AuditLogTest {

    private TestDatabase db;
    private AuditLog log;

    @BeforeEach
    void freshDatabase() {
        db = ThrowawayPostgis.get().createMigratedDatabase("audit");
        log = new AuditLog(db.dataSource());
    }

    private static AuditEntry entry(String purpose) {
        return AuditEntry.accepted("alice", "10.0.0.1", purpose, List.of("ab".repeat(32)),
                Map.of("topK", 5, "panorama", false), "demo");
    }

    @Test
    void recordsRowsWhoseChainVerifies() {
        long first = log.record(entry("first"));
        long second = log.record(entry("second").refused(ErrorCode.INVALID_TOP_K));
        assertTrue(second > first);

        ChainStatus status = log.verify();
        assertTrue(status.intact(), () -> "chain broken: " + status);
        assertEquals(2, status.rowsChecked());

        List<AuditRecord> rows = log.list(null, 10);
        assertEquals(List.of(first, second), rows.stream().map(AuditRecord::id).toList());
        assertEquals(Outcome.REFUSED, rows.get(1).outcome());
        assertEquals("INVALID_TOP_K", rows.get(1).errorCode());
        assertEquals(List.of("ab".repeat(32)), rows.get(0).imageSha256());
        assertTrue(rows.get(0).parameters().contains("\"topK\": 5"), rows.get(0).parameters());
        assertEquals(64, rows.get(0).rowHashHex().length());
        assertEquals(1, log.list(rows.get(1).ts(), 10).size(), "list --since filters by time");
        assertTrue(log.list(OffsetDateTime.now().plusDays(1), 10).isEmpty());
    }

    @Test
    void firstRowChainsFromTheGenesisHashAndEachRowFromItsPredecessor() throws SQLException {
        log.record(entry("a"));
        log.record(entry("b"));
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT encode(prev_hash, 'hex'), encode(row_hash, 'hex')"
                     + " FROM geopigeon.audit_log ORDER BY id")) {
            rs.next();
            assertEquals("00".repeat(32), rs.getString(1));
            String firstHash = rs.getString(2);
            rs.next();
            assertEquals(firstHash, rs.getString(1));
        }
    }

    @Test
    void updateDeleteAndTruncateAreRejectedEvenForTheOwner() throws SQLException {
        long id = log.record(entry("x"));
        for (String sql : new String[] {
            "UPDATE geopigeon.audit_log SET purpose = 'changed' WHERE id = " + id,
            "DELETE FROM geopigeon.audit_log WHERE id = " + id,
            "TRUNCATE geopigeon.audit_log CASCADE",
            "UPDATE geopigeon.audit_log SET purpose = 'none' WHERE false"}) {
            SQLException e = assertThrows(SQLException.class, () -> execute(sql), sql);
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
        assertTrue(log.verify().intact());
        assertEquals(1, log.verify().rowsChecked());
    }

    @Test
    void applicationRoleMayInsertAndReadButNotChangeAuditRows() throws SQLException {
        long id = log.record(entry("x"));
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("SET ROLE geopigeon_app");
            s.execute("INSERT INTO geopigeon.audit_log (principal, outcome) VALUES ('app', 'accepted')");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM geopigeon.audit_log")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
            for (String sql : new String[] {
                "UPDATE geopigeon.audit_log SET purpose = 'changed' WHERE id = " + id,
                "DELETE FROM geopigeon.audit_log WHERE id = " + id,
                "TRUNCATE geopigeon.audit_log",
                "ALTER TABLE geopigeon.audit_log DISABLE TRIGGER audit_log_append_only"}) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("permission denied") || e.getMessage().contains("must be owner"),
                        e.getMessage());
            }
        }
        assertTrue(log.verify().intact());
    }

    @Test
    void aModifiedRowIsNamedByVerify() throws SQLException {
        log.record(entry("one"));
        long tampered = log.record(entry("two"));
        log.record(entry("three"));
        asSuperuserWithTriggerDisabled("UPDATE geopigeon.audit_log SET purpose = 'innocent' WHERE id = " + tampered);

        ChainStatus status = log.verify();
        assertFalse(status.intact());
        assertEquals(tampered, status.brokenId());
        assertTrue(status.reason().contains("modified"), status.reason());
    }

    @Test
    void aDeletedRowBreaksTheChainAtItsSuccessor() throws SQLException {
        log.record(entry("one"));
        long deleted = log.record(entry("two"));
        long next = log.record(entry("three"));
        asSuperuserWithTriggerDisabled("DELETE FROM geopigeon.audit_log WHERE id = " + deleted);

        ChainStatus status = log.verify();
        assertEquals(next, status.brokenId());
        assertTrue(status.reason().contains("deleted"), status.reason());
    }

    @Test
    void aRecomputedRowHashStillBreaksTheLinkToTheNextRow() throws SQLException {
        long tampered = log.record(entry("one"));
        long next = log.record(entry("two"));
        // A forger who recomputes row_hash for the edited row must also rewrite every later row.
        asSuperuserWithTriggerDisabled("UPDATE geopigeon.audit_log a SET purpose = 'innocent' WHERE id = " + tampered
                + "; UPDATE geopigeon.audit_log a SET row_hash = geopigeon.audit_row_hash(a.prev_hash, a) WHERE id = "
                + tampered);
        assertEquals(next, log.verify().brokenId());
    }

    @Test
    void concurrentInsertsKeepTheChainLinear() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        log.record(entry("thread " + thread + " #" + i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        ChainStatus status = log.verify();
        assertTrue(status.intact(), () -> "chain broken under concurrency: " + status);
        assertEquals(40, status.rowsChecked());
        List<AuditRecord> rows = log.list(null, 100);
        for (int i = 1; i < rows.size(); i++) {
            assertFalse(rows.get(i).ts().isBefore(rows.get(i - 1).ts()), "time order follows id order");
        }
    }

    @Test
    void insertsUnderRepeatableReadAreRefusedSoTheChainCannotFork() throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            SQLException e = assertThrows(SQLException.class,
                    () -> AuditLog.insert(c, entry("rr")));
            assertTrue(e.getMessage().contains("READ COMMITTED"), e.getMessage());
            c.rollback();
        }
    }

    @Test
    void databaseAssignsIdTimeAndHashesWhateverTheClientSends() throws SQLException {
        execute("INSERT INTO geopigeon.audit_log (id, ts, principal, outcome, prev_hash, row_hash)"
                + " VALUES (999, '2000-01-01', 'mallory', 'accepted', '\\x01', '\\x02')");
        List<AuditRecord> rows = log.list(null, 10);
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).id() != 999);
        assertTrue(rows.get(0).ts().getYear() > 2000);
        assertTrue(log.verify().intact());
    }

    @Test
    void writingToAStoppedDatabaseFailsWithAStoreException() {
        AuditLog offline = new AuditLog(Migrations.dataSource("jdbc:postgresql://127.0.0.1:9/none", "x", null));
        StoreException e = assertThrows(StoreException.class, () -> offline.record(entry("x")));
        assertTrue(e.getMessage().contains("audit row"), e.getMessage());
        assertNotNull(e.getCause());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void asSuperuserWithTriggerDisabled(String sql) throws SQLException {
        execute("ALTER TABLE geopigeon.audit_log DISABLE TRIGGER audit_log_append_only; " + sql
                + "; ALTER TABLE geopigeon.audit_log ENABLE TRIGGER audit_log_append_only");
    }
}
