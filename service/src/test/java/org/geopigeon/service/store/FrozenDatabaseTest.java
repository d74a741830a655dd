package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen database does not freeze the service: with the {@link DatabaseTimeouts} every write gives up within
 * seconds with a clear reason, and refusals still leave their row (in the spool). Frozen three ways: a session
 * holding the audit table, a stopped (SIGSTOP) postmaster, and a stopped backend in the middle of a session.
 * Runs on a cluster of its own.
 */
class FrozenDatabaseTest {

    /** Connect 2 s, statement 2 s, lock 1 s; the client stops reading after 2 + 5 s. */
    private static final DatabaseTimeouts SHORT = DatabaseTimeouts.ofSeconds(2, 2, 1);
    private static ThrowawayPostgis server;

    @TempDir
    Path spoolRoot;

    @BeforeAll
    static void privateCluster() {
        assumeTrue(ThrowawayPostgis.canStartPrivate(), "needs PostgreSQL 15 + PostGIS to run a private cluster");
        server = ThrowawayPostgis.startPrivate();
    }

    @AfterAll
    static void removeCluster() {
        if (server != null) {
            server.close();
        }
    }

    private static AuditEntry accepted() {
        return AuditEntry.accepted("erin", null, "frozen test", List.of("cd".repeat(32)), Map.of("topK", 2),
                DemoData.manifest().name());
    }

    @Test
    void aSessionHoldingTheAuditTableTurnsEveryWriteIntoAQuickClearFailure() throws Exception {
        TestDatabase db = server.createMigratedDatabase("frozen_table");
        DataSource ds = Migrations.dataSource(db.jdbcUrl(), null, null, SHORT);
        PredictionStore store = new PredictionStore(ds);
        RegisteredModel model = store.register(DemoData.manifest(), DemoData.geocells(), "demo");
        Prediction p = DemoData.prediction(DemoData.geocells(), model.name(), 0, 2, null);
        try (AuditTrail trail = new AuditTrail(ds, AuditSpool.forDatabase(spoolRoot, AuditTrail.databaseOf(ds)),
                Duration.ofHours(1), Duration.ofSeconds(30));
             Connection holder = db.connection(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE geopigeon.audit_log IN ACCESS EXCLUSIVE MODE");

            StoreException accepted = within(Duration.ofMillis(2500), () -> assertThrows(StoreException.class,
                    () -> new AuditLog(ds).record(accepted())));
            assertTrue(accepted.getMessage().contains("locked by another database session, a lock timeout"),
                    accepted.getMessage());

            StoreException stored = within(Duration.ofMillis(2500), () -> assertThrows(StoreException.class,
                    () -> store.store(model, accepted(), p, 2)));
            assertTrue(stored.getMessage().contains("nothing was stored"), stored.getMessage());

            AuditReceipt first = within(Duration.ofMillis(2500), () -> trail.recordRefusal(
                    AuditTrailTest.refusal("while frozen", ErrorCode.INVALID_IMAGE)));
            assertNotNull(first.spoolId(), "spooled after one lock timeout");
            AuditReceipt second = within(Duration.ofMillis(300), () -> trail.recordRefusal(
                    AuditTrailTest.refusal("while frozen 2", ErrorCode.BUSY)));
            assertNotNull(second.spoolId(), "the database just timed out: straight to the spool, no second wait");

            // A request that failed because the database timed out: its row does not wait for a timeout again.
            try (AuditTrail fresh = new AuditTrail(ds, AuditSpool.forDatabase(spoolRoot, AuditTrail.databaseOf(ds)),
                    Duration.ofHours(1), Duration.ZERO)) {
                AuditReceipt third = within(Duration.ofMillis(300), () -> fresh.recordRefusal(
                        AuditTrailTest.refusal("while frozen 3", ErrorCode.STORE_FAILED), () -> { }, stored));
                assertNotNull(third.spoolId());
            }

            holder.rollback(); // the database thaws
            ReplayResult r = trail.replayPending();
            assertEquals(3, r.replayed());
        }
        assertEquals(0, PredictionStoreTest.count(db, "SELECT count(*) FROM geopigeon.predictions"),
                "nothing half-stored");
        assertEquals(List.of("while frozen", "while frozen 2", "while frozen 3"),
                new AuditLog(ds).list(null, 10).stream().map(AuditRecord::purpose).toList());
        assertTrue(new AuditLog(ds).verify().intact());
    }

    @Test
    void aFrozenPostmasterIsGivenUpOnAfterTheConnectTimeout() throws Exception {
        TestDatabase db = server.createMigratedDatabase("frozen_server");
        DataSource ds = Migrations.dataSource(db.jdbcUrl(), null, null, SHORT);
        try (AuditTrail trail = new AuditTrail(ds, AuditSpool.forDatabase(spoolRoot, AuditTrail.databaseOf(ds)),
                Duration.ofHours(1), Duration.ZERO)) {
            server.freezePostmaster(true);
            try {
                StoreException e = within(Duration.ofMillis(3500), () -> assertThrows(StoreException.class,
                        () -> new AuditLog(ds).record(accepted())));
                assertTrue(e.unavailable(), e.getMessage());
                assertTrue(e.getMessage().contains("unreachable") || e.getMessage().contains("stopped answering"),
                        e.getMessage());
                AuditReceipt r = within(Duration.ofMillis(3500), () -> trail.recordRefusal(
                        AuditTrailTest.refusal("server frozen", ErrorCode.INVALID_TOP_K)));
                assertNotNull(r.spoolId());
            } finally {
                server.freezePostmaster(false);
            }
            assertEquals(1, trail.replayPending().replayed());
        }
        assertEquals(1, new AuditLog(ds).list(null, 10).size());
    }

    @Test
    void aBackendStoppedMidSessionIsGivenUpOnAfterTheSocketTimeout() throws Exception {
        TestDatabase db = server.createMigratedDatabase("frozen_backend");
        DataSource ds = Migrations.dataSource(db.jdbcUrl(), null, null, SHORT);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            long pid;
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            signal("-STOP", pid);
            try {
                SQLException e = within(SHORT.socket().plusMillis(1500), () -> assertThrows(SQLException.class,
                        () -> s.executeQuery("SELECT 1")));
                assertEquals("the database stopped answering", StoreException.reason(e));
            } finally {
                signal("-CONT", pid);
            }
        }
    }

    @Test
    void theStatementTimeoutIsSetOnEverySession() throws Exception {
        TestDatabase db = server.createMigratedDatabase("statement_timeout");
        DataSource ds = Migrations.dataSource(db.jdbcUrl(), null, null, DatabaseTimeouts.ofSeconds(2, 1, 1));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_setting('statement_timeout'),"
                    + " current_setting('lock_timeout')")) {
                rs.next();
                assertEquals("1s", rs.getString(1));
                assertEquals("1s", rs.getString(2));
            }
            SQLException e = within(Duration.ofMillis(2500), () -> assertThrows(SQLException.class,
                    () -> s.execute("SELECT pg_sleep(10)")));
            assertEquals("the database did not finish in time, a statement timeout", StoreException.reason(e));
        }
    }

    @Test
    void timeoutsAreWholeSecondsAndTheLockTimeoutFitsTheStatementTimeout() {
        assertThrows(IllegalArgumentException.class, () -> DatabaseTimeouts.ofSeconds(0, 5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseTimeouts.ofSeconds(5, 2, 3));
        assertTrue(e.getMessage().contains("geopigeon.jdbc.lockTimeoutSeconds"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DatabaseTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(5), Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(10), DatabaseTimeouts.DEFAULT.socket());
    }

    /** Runs {@code call} and fails when it took longer than {@code limit}. */
    private static <T> T within(Duration limit, Callable<T> call) throws Exception {
        long t0 = System.nanoTime();
        T result = call.call();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(limit) <= 0, "took " + took.toMillis() + " ms, limit " + limit.toMillis() + " ms");
        return result;
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", signal, String.valueOf(pid)).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill " + signal + " " + pid);
    }
}
