package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.DatabaseTimeouts;
import org.geopigeon.service.store.Migrations;
import org.junit.jupiter.api.Test;

/**
 * The standalone service against a frozen database (another session holds the audit table): every request is
 * answered within the database timeouts with a clear refusal, none with a result, and each leaves its audit row
 * in the local spool, which reaches the hash chain once the database thaws.
 */
class FrozenDatabaseApiTest {

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    @Test
    void requestsAreRefusedWithinTheTimeoutsAndTheirRowsReachTheChainAfterwards() throws Exception {
        try (RunningService service = RunningService.start("serve_frozen")) {
            DataSource withTimeouts = Migrations.dataSource(service.db.jdbcUrl(), null, null,
                    DatabaseTimeouts.ofSeconds(2, 2, 1));
            try (GeoPigeonServer server = RunningService.start(RunningService.settings(), service.bundle,
                    withTimeouts)) {
                Reply warm = service.post(server, "/api/v1/locate?purpose=before&store=true", "image/jpeg",
                        RunningService.jpeg(1));
                assertEquals(200, warm.status(), warm.body()); // registers the model while the database is fine

                List<Reply> replies = new ArrayList<>();
                try (Connection holder = service.db.connection(); Statement s = holder.createStatement()) {
                    holder.setAutoCommit(false);
                    s.execute("LOCK TABLE geopigeon.audit_log IN ACCESS EXCLUSIVE MODE");

                    long t0 = System.nanoTime();
                    replies.add(service.post(server, "/api/v1/locate?purpose=frozen&store=true", "image/jpeg",
                            RunningService.jpeg(2)));
                    long storeMs = (System.nanoTime() - t0) / 1_000_000;
                    t0 = System.nanoTime();
                    replies.add(service.post(server, "/api/v1/locate?purpose=frozen&store=false", "image/jpeg",
                            RunningService.jpeg(3)));
                    long auditOnlyMs = (System.nanoTime() - t0) / 1_000_000;
                    t0 = System.nanoTime();
                    replies.add(service.post(server, "/api/v1/locate?purpose=frozen", "text/plain",
                            "not an image".getBytes()));
                    long refusedHereMs = (System.nanoTime() - t0) / 1_000_000;

                    System.out.printf("frozen audit table, lock timeout 1 s: storing request answered in %d ms,"
                            + " audit-only %d ms, malformed %d ms%n", storeMs, auditOnlyMs, refusedHereMs);
                    // One lock timeout (1 s) for the prediction's transaction; its STORE_FAILED row goes straight to
                    // the spool, and so do the next requests' rows (the database just timed out).
                    assertTrue(storeMs < 3000, "stored request answered in " + storeMs + " ms");
                    assertTrue(auditOnlyMs < 3000, "audit-only request answered in " + auditOnlyMs + " ms");
                    assertTrue(refusedHereMs < 1000, "malformed request answered in " + refusedHereMs + " ms");
                    for (Reply r : replies) {
                        assertTrue(r.status() >= 400, r.body());
                        assertFalse(r.json().has("features"), "no result without its audit row: " + r.body());
                        assertFalse(r.json().has("audit_id"), r.body());
                        String message = r.json().get("detail").asText();
                        assertTrue(message.contains("local audit spool"), message);
                        assertFalse(message.contains("SQL") || message.contains("PSQLException")
                                || message.contains("geopigeon.audit_log"), message);
                    }
                    assertEquals("STORE_FAILED", replies.get(0).json().get("code").asText());
                    assertTrue(replies.get(0).json().get("detail").asText().contains("lock timeout"),
                            replies.get(0).body());
                    holder.rollback();
                }

                // What `geopigeon audit replay` does, from another trail on the same spool folder (the server's own
                // background replay may get there first: either way each row arrives once).
                try (AuditTrail replay = AuditTrail.withoutBackgroundReplay(withTimeouts,
                        AuditSpool.defaultRoot(System::getProperty, System::getenv))) {
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    do {
                        replay.replayPending();
                    } while (replay.status().notInLog() != 0 && System.nanoTime() < deadline && pause());
                    assertEquals(0, replay.status().notInLog());
                }
                AuditLog log = new AuditLog(service.db.dataSource());
                List<AuditRecord> rows = log.list(null, 100);
                assertEquals(List.of("accepted", "failed", "failed", "refused"),
                        rows.stream().map(r -> r.outcome().dbValue()).toList());
                assertEquals(List.of("STORE_FAILED", "STORE_FAILED", "UNSUPPORTED_MEDIA_TYPE"),
                        rows.subList(1, 4).stream().map(AuditRecord::errorCode).toList());
                assertTrue(rows.subList(1, 4).stream().allMatch(r -> r.spooledAt() != null));
                assertTrue(log.verify().intact());
                try (Connection c = service.db.connection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM geopigeon.predictions")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "only the request before the freeze stored its prediction");
                }
            }
        }
    }
}
