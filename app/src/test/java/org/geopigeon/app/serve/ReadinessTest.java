package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.geolocate;
import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.service.store.Migrations;
import org.junit.jupiter.api.Test;

/**
 * Liveness is "the process answers"; readiness is "an audit row could be written now". The first service said
 * "ok" while every request was refused because INSERT on the audit log had been revoked.
 */
class ReadinessTest {

    @Test
    void readinessFollowsTheRightToWriteAuditRowsAndStoreFailuresSayWhenToRetry() throws Exception {
        try (RunningService admin = RunningService.start("ready")) {
            String login = "app_" + admin.db.name().replaceAll("[^a-z0-9_]", "");
            try (Connection c = admin.db.connection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + login + " LOGIN IN ROLE geopigeon_app");
            }
            // The service under test runs as a least-privilege login in geopigeon_app.
            String url = admin.db.jdbcUrl().replaceAll("user=[^&]*", "user=" + login);
            try (GeoPigeonServer app = RunningService.start(RunningService.settings(), admin.bundle,
                    Migrations.dataSource(url, null, null))) {
                Reply ready = get(admin, app, "health/ready");
                assertEquals(200, ready.status(), ready.body());
                assertEquals("ready", ready.json().get("status").asText());
                assertTrue(ready.json().get("checks").get("audit_write").get("ok").asBoolean());

                revoke(admin, "REVOKE INSERT ON geopigeon.audit_log FROM geopigeon_app");
                Thread.sleep(1100); // past the one-second cache of the last check
                Reply down = get(admin, app, "health/ready");
                assertEquals(503, down.status(), down.body());
                String detail = down.json().get("checks").get("audit_write").get("detail").asText();
                assertTrue(detail.contains("may not write audit rows"), down.body());
                assertFalse(detail.contains("permission denied") || detail.contains("audit_log"),
                        "no driver text for the public: " + down.body());
                assertTrue(Integer.parseInt(down.header("Retry-After")) >= 5);
                assertEquals(200, get(admin, app, "health/live").status(), "alive all the same");

                HttpRequest locate = HttpRequest.newBuilder(app.uri().resolve("processes/geolocate/execution"))
                        .header("Authorization", "Bearer " + admin.token(org.geopigeon.app.serve.auth.Role.ANALYST))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(RunningService.bytes(
                                geolocate("while the audit log is closed", jpeg(1))))).build();
                Reply refused = admin.send(locate, false);
                assertEquals(503, refused.status(), refused.body());
                assertEquals("STORE_FAILED", refused.json().get("code").asText());
                assertTrue(refused.json().get("audit_id") == null, "no audit row could be written");
                assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 5, refused.headers().toString());

                revoke(admin, "GRANT INSERT ON geopigeon.audit_log TO geopigeon_app");
                Thread.sleep(1100);
                assertEquals(200, get(admin, app, "health/ready").status());
            } finally {
                revoke(admin, "GRANT INSERT ON geopigeon.audit_log TO geopigeon_app");
            }
        }
    }

    @Test
    void anUnreachableDatabaseIsNotNamedToThePublic() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        try (RunningService admin = RunningService.start("ready_down");
             GeoPigeonServer app = RunningService.start(RunningService.settings(), admin.bundle,
                     Migrations.dataSource("jdbc:postgresql://127.0.0.1:" + port + "/gis?user=nobody"
                             + "&connectTimeout=2", null, null))) {
            Reply down = get(admin, app, "health/ready");
            assertEquals(503, down.status(), down.body());
            String detail = down.json().get("checks").get("audit_write").get("detail").asText();
            assertTrue(detail.contains("cannot be reached"), down.body());
            assertFalse(down.body().contains(String.valueOf(port)) || down.body().contains("127.0.0.1")
                    || down.body().contains("Connection"), "no host, port or driver text: " + down.body());
        }
    }

    private static Reply get(RunningService client, GeoPigeonServer app, String path) {
        return client.send(HttpRequest.newBuilder(app.uri().resolve(path)).GET().build(), false);
    }

    private static void revoke(RunningService admin, String sql) throws Exception {
        try (Connection c = admin.db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
