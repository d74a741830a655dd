package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that leave a trace while the database cannot take it: refusals go to the local spool and are
 * replayed into the hash chain, once each and in order, when the database is back. Runs on a PostgreSQL
 * cluster of its own, which it stops and starts.
 */
class AuditTrailTest {

    /** No background retries unless a test wants them: replays happen where the test says. */
    private static final Duration NO_RETRY = Duration.ofHours(1);

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

    private static DataSource dataSource(TestDatabase db) {
        return Migrations.dataSource(db.jdbcUrl(), null, null, DatabaseTimeouts.ofSeconds(2, 3, 2));
    }

    private AuditTrail trail(DataSource ds) {
        return new AuditTrail(ds, AuditSpool.forDatabase(spoolRoot, AuditTrail.databaseOf(ds)), NO_RETRY, Duration.ZERO);
    }

    static AuditEntry refusal(String purpose, ErrorCode code) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("topK", 5);
        params.put("interface", "test");
        return AuditEntry.accepted("carol", "192.0.2.7", purpose, List.of("a1".repeat(32), "b2".repeat(32)), params,
                "demo").refused(code);
    }

    @Test
    void refusalsWhileTheDatabaseIsStoppedAreSpooledThenReplayedInOrderIntoTheChain() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_order");
        DataSource ds = dataSource(db);
        try (AuditTrail trail = trail(ds)) {
            AuditReceipt before = trail.recordRefusal(refusal("before the outage", ErrorCode.INVALID_TOP_K));
            assertNotNull(before.auditId());

            server.stop();
            List<AuditEntry> during = List.of(refusal("during 1", ErrorCode.INVALID_IMAGE),
                    refusal("during 2", ErrorCode.BUSY), refusal("during 3", ErrorCode.STORE_FAILED),
                    refusal("during 4", ErrorCode.CANCELLED), refusal("during 5", ErrorCode.INVALID_PURPOSE));
            List<AuditReceipt> receipts = new ArrayList<>();
            try {
                for (AuditEntry e : during) {
                    AuditReceipt r = trail.recordRefusal(e);
                    assertNull(r.auditId());
                    assertNotNull(r.spoolId(), "spooled, not lost");
                    assertTrue(r.recorded());
                    assertTrue(r.clientNote().contains("local audit spool as " + r.spoolId()), r.clientNote());
                    receipts.add(r);
                }
                // Fail closed: an accepted request is not spooled, its result must be withheld.
                assertThrows(StoreException.class, () -> trail.record(AuditEntry.accepted("carol", null, "ok",
                        List.of(), Map.of(), "demo")));
                assertThrows(IllegalArgumentException.class, () -> trail.recordRefusal(AuditEntry.accepted("carol",
                        null, "ok", List.of(), Map.of(), "demo")));

                SpoolStatus down = trail.status();
                assertEquals(5, down.rows());
                assertNull(down.notInLog(), "the database cannot be asked while it is down");
                assertOneOwnerOnlySegmentHolding(trail.spool(), during);
            } finally {
                server.restart();
            }
            assertEquals(5, trail.status().notInLog());

            AuditReceipt after = trail.recordRefusal(refusal("after the outage", ErrorCode.INVALID_TOP_K));
            assertNotNull(after.auditId(), "the database is back: written, after replaying the spool");

            List<AuditRecord> rows = new AuditLog(ds).list(null, 100);
            assertEquals(7, rows.size());
            assertEquals("before the outage", rows.get(0).purpose());
            assertEquals("after the outage", rows.get(6).purpose());
            for (int i = 0; i < 5; i++) {
                AuditRecord row = rows.get(i + 1);
                AuditEntry e = during.get(i);
                assertEquals(e.purpose(), row.purpose(), "spool order kept");
                assertEquals(receipts.get(i).spoolId(), row.requestKey());
                assertNotNull(row.spooledAt());
                assertTrue(row.spooledAt().isBefore(row.ts()), "spooled_at keeps the time of the refusal");
                assertEquals(e.principal(), row.principal());
                assertEquals(e.clientAddress(), row.clientAddress());
                assertEquals(e.imageSha256(), row.imageSha256());
                assertEquals(e.outcome(), row.outcome());
                assertEquals(e.errorCode().name(), row.errorCode());
                assertEquals(e.model(), row.model());
                assertTrue(row.parameters().contains("\"interface\": \"test\""), row.parameters());
            }
            ChainStatus chain = new AuditLog(ds).verify();
            assertTrue(chain.intact(), () -> "chain broken: " + chain);
            assertEquals(7, chain.rowsChecked());
            assertTrue(trail.spool().isEmpty(), "replayed segments are removed");
            assertTrue(trail.status().clear());
        }
    }

    @Test
    void concurrentRequestsWithTheDatabaseStoppedAndStartedMidRunEachLeaveExactlyOneRow() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_midrun");
        DataSource ds = dataSource(db);
        int threads = 4;
        int perThread = 30;
        List<AuditReceipt> receipts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditTrail trail = trail(ds)) {
            CountDownLatch halfway = new CountDownLatch(threads * perThread / 3);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        receipts.add(trail.recordRefusal(refusal("t" + thread + " #" + i, ErrorCode.INVALID_IMAGE)));
                        halfway.countDown();
                        sleep(20);
                    }
                }));
            }
            assertTrue(halfway.await(60, TimeUnit.SECONDS));
            server.stop();
            sleep(600);
            server.restart();
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
            trail.replayPending();

            long spooled = receipts.stream().filter(r -> r.spoolId() != null).count();
            assertTrue(spooled > 0, "some requests met the stopped database");
            assertTrue(receipts.stream().allMatch(AuditReceipt::recorded), "nothing lost");
            List<AuditRecord> rows = new AuditLog(ds).list(null, 1000);
            assertEquals(threads * perThread, rows.size(), "one row per request, none twice");
            assertEquals(threads * perThread, rows.stream().map(AuditRecord::purpose).distinct().count());
            Set<UUID> keys = new HashSet<>();
            rows.forEach(r -> keys.add(r.requestKey()));
            assertEquals(rows.size(), keys.size(), "every row has its own request key");
            receipts.stream().filter(r -> r.spoolId() != null)
                    .forEach(r -> assertTrue(keys.contains(r.spoolId()), "spooled row " + r.spoolId() + " replayed"));
            assertTrue(new AuditLog(ds).verify().intact());
            assertTrue(trail.spool().isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replayersInTwoJvmsAndManyThreadsInsertEachSpooledRowOnce() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_twojvm");
        DataSource ds = dataSource(db);
        String database = AuditTrail.databaseOf(ds);
        int rowsInChild = 40;
        // A process that spooled rows and ended (as a CLI run during an outage does).
        assertEquals(0, SpoolingProcess.run("spool", spoolRoot.toString(), database, String.valueOf(rowsInChild)));
        try (AuditTrail a = trail(ds); AuditTrail b = trail(ds)) {
            SpoolStatus waiting = a.status();
            assertEquals(rowsInChild, waiting.rows());
            assertEquals(rowsInChild, waiting.notInLog());

            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> work = new ArrayList<>();
                SpoolingProcess.Child other = SpoolingProcess.start("replay", spoolRoot.toString(), database, db.jdbcUrl());
                for (int t = 0; t < 6; t++) {
                    AuditTrail trail = t % 2 == 0 ? a : b;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 5; i++) {
                            trail.replayPending();
                        }
                    }));
                }
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertTrue(other.waitFor(60));
                assertEquals(0, other.exitValue(), other.output());
            } finally {
                pool.shutdownNow();
            }
            a.replayPending(); // whoever lost the race for the lock last time
            List<AuditRecord> rows = new AuditLog(ds).list(null, 1000);
            assertEquals(rowsInChild, rows.size(), "each spooled row exactly once");
            assertEquals(rowsInChild, rows.stream().map(AuditRecord::requestKey).distinct().count());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals("spooled by another process #" + i, rows.get(i).purpose(), "spool order");
            }
            assertTrue(new AuditLog(ds).verify().intact());
            assertTrue(a.spool().isEmpty(), "the ended process's segment is removed once replayed");
        }
    }

    @Test
    void aRowWhoseCommitWasNotSeenIsNotAddedAgainByTheReplay() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_unseen");
        DataSource ds = dataSource(db);
        AuditEntry entry = refusal("committed, but the answer was lost", ErrorCode.INVALID_IMAGE);
        UUID key = UUID.randomUUID();
        try (AuditTrail trail = trail(ds)) {
            // The first attempt commits, the connection dies before the client hears it, the trail spools it.
            assertNotNull(new AuditLog(ds).recordKeyed(entry, key));
            trail.spool().append(key, entry, "connection lost during COMMIT");
            ReplayResult r = trail.replayPending();
            assertEquals(0, r.replayed());
            assertEquals(1, r.alreadyInLog());
            assertTrue(trail.spool().isEmpty());
        }
        assertEquals(1, new AuditLog(ds).list(null, 10).size());
    }

    @Test
    void theSpoolIdIsAnIdempotencyKeyEvenWithoutTheReplayLock() throws SQLException {
        TestDatabase db = server.createMigratedDatabase("spool_key");
        SpooledAuditRow row = new SpooledAuditRow(UUID.randomUUID(), java.time.Instant.now(), "test",
                refusal("once", ErrorCode.BUSY));
        try (Connection c = db.connection()) {
            assertNotNull(AuditLog.insertSpooled(c, row));
            assertNull(AuditLog.insertSpooled(c, row), "a second insert of the same spooled row is a no-op");
        }
        assertEquals(1, new AuditLog(db.dataSource()).list(null, 10).size());
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void rowsWrittenBeforeTheSpoolColumnsExistedStillVerify() throws SQLException {
        TestDatabase db = server.createDatabase("spool_upgrade");
        Migrations.preparePostgis(db.dataSource());
        org.flywaydb.core.Flyway.configure(Migrations.class.getClassLoader()).dataSource(db.dataSource())
                .schemas(Migrations.SCHEMA).locations(Migrations.LOCATION).target("6").load().migrate();
        AuditLog log = new AuditLog(db.dataSource());
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String p : new String[] {"old 1", "old 2"}) {
                s.execute("INSERT INTO geopigeon.audit_log (principal, purpose, outcome) VALUES ('x', '" + p
                        + "', 'accepted')");
            }
        }
        Migrations.apply(db.dataSource());
        SpooledAuditRow row = new SpooledAuditRow(UUID.randomUUID(), java.time.Instant.now(), "test",
                refusal("new", ErrorCode.BUSY));
        try (Connection c = db.connection()) {
            AuditLog.insertSpooled(c, row);
        }
        ChainStatus chain = log.verify();
        assertTrue(chain.intact(), () -> "old rows keep their hashes: " + chain);
        assertEquals(3, chain.rowsChecked());
    }

    @Test
    void aSpooledRowEditedInTheDatabaseIsNamedByVerify() throws SQLException {
        TestDatabase db = server.createMigratedDatabase("spool_tamper");
        SpooledAuditRow row = new SpooledAuditRow(UUID.randomUUID(), java.time.Instant.now(), "test",
                refusal("spooled", ErrorCode.BUSY));
        long id;
        try (Connection c = db.connection()) {
            id = AuditLog.insertSpooled(c, row);
        }
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE geopigeon.audit_log DISABLE TRIGGER audit_log_append_only;"
                    + " UPDATE geopigeon.audit_log SET spooled_at = spooled_at - interval '1 day' WHERE id = " + id
                    + "; ALTER TABLE geopigeon.audit_log ENABLE TRIGGER audit_log_append_only");
        }
        assertEquals(id, new AuditLog(db.dataSource()).verify().brokenId(), "spooled_at is covered by the row hash");
    }

    @Test
    void whenNeitherTheDatabaseNorTheSpoolTakesTheRowTheServerLogHasIt() throws Exception {
        Path notAFolder = Files.writeString(spoolRoot.resolve("file"), "x");
        DataSource down = Migrations.dataSource("jdbc:postgresql://127.0.0.1:9/none?user=x", null, null);
        ServerLog log = ServerLog.capture();
        AuditReceipt r;
        try (AuditTrail trail = new AuditTrail(down, AuditSpool.forDatabase(notAFolder, "none"), NO_RETRY,
                Duration.ZERO)) {
            r = trail.recordRefusal(refusal("lost purpose", ErrorCode.INVALID_IMAGE));
        } finally {
            log.stop();
        }
        assertFalse(r.recorded());
        assertNotNull(r.incidentId());
        assertTrue(r.clientNote().contains("incident " + r.incidentId()), r.clientNote());
        String line = log.lineWith("AUDIT ROW LOST");
        assertTrue(line.contains(r.incidentId()) && line.contains("lost purpose") && line.contains("carol"),
                "the row's fields are in the log: " + log.text());
    }

    @Test
    void withInsertRevokedTheApplicationRoleSpoolsAndReplaysOnceGrantedAgain() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_revoke");
        String login = "gp_revoke_" + ProcessHandle.current().pid();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN IN ROLE geopigeon_app");
            s.execute("REVOKE INSERT ON geopigeon.audit_log FROM geopigeon_app");
        }
        DataSource app = dataSource(db.asUser(login, null));
        try (AuditTrail trail = trail(app)) {
            AuditReceipt refused = trail.recordRefusal(refusal("while revoked", ErrorCode.INVALID_IMAGE));
            assertNotNull(refused.spoolId());
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("GRANT INSERT ON geopigeon.audit_log TO geopigeon_app");
            }
            assertNotNull(trail.recordRefusal(refusal("granted again", ErrorCode.INVALID_IMAGE)).auditId());
        }
        List<AuditRecord> rows = new AuditLog(db.dataSource()).list(null, 10);
        assertEquals(List.of("while revoked", "granted again"), rows.stream().map(AuditRecord::purpose).toList());
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void theBackgroundRetryReplaysWithoutAnyFurtherRequest() throws Exception {
        TestDatabase db = server.createMigratedDatabase("spool_background");
        DataSource ds = dataSource(db);
        try (AuditTrail trail = new AuditTrail(ds, AuditSpool.forDatabase(spoolRoot, AuditTrail.databaseOf(ds)),
                Duration.ofMillis(200), Duration.ofSeconds(30))) {
            server.stop();
            try {
                assertNotNull(trail.recordRefusal(refusal("waits", ErrorCode.BUSY)).spoolId());
                assertNotNull(trail.recordRefusal(refusal("waits too", ErrorCode.BUSY)).spoolId(),
                        "within the quiet period: straight to the spool");
            } finally {
                server.restart();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!trail.spool().isEmpty() && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertTrue(trail.spool().isEmpty(), "replayed in the background");
            assertEquals(2, new AuditLog(ds).list(null, 10).size());
        }
    }

    @Test
    void eachDatabaseHasItsOwnSpoolFolder() {
        AuditSpool a = AuditSpool.forDatabase(spoolRoot, "db1:5432/gis");
        AuditSpool b = AuditSpool.forDatabase(spoolRoot, "db2:5432/gis");
        assertFalse(a.folder().equals(b.folder()));
        assertTrue(a.folder().getFileName().toString().startsWith("db1_5432_gis-"), a.folder().toString());
        assertEquals("127.0.0.1:5432/x", AuditTrail.databaseOf(
                Migrations.dataSource("jdbc:postgresql://127.0.0.1/x?user=u&password=secret", null, null)));
    }

    /** One segment, owner-only, whose lines hold exactly the entries (no image data: only the row's fields). */
    private static void assertOneOwnerOnlySegmentHolding(AuditSpool spool, List<AuditEntry> entries) throws Exception {
        List<Path> segments;
        try (Stream<Path> files = Files.list(spool.folder())) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
        }
        assertEquals(1, segments.size(), segments.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segments.get(0))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.folder())));
        List<String> lines = Files.readAllLines(segments.get(0), StandardCharsets.UTF_8);
        assertEquals(entries.size(), lines.size());
        List<SpooledAuditRow> rows = spool.read().rows();
        assertEquals(entries, rows.stream().map(SpooledAuditRow::entry).toList(), "the same fields, in order");
        for (String line : lines) {
            assertTrue(line.length() < 1000, "a spool line holds the audit fields only: " + line);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
