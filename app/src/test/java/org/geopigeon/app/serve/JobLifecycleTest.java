package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.geolocate;
import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.app.serve.jobs.JobJanitor;
import org.geopigeon.app.serve.jobs.JobStore;
import org.junit.jupiter.api.Test;

/**
 * Jobs live in PostGIS: a restarted server still answers a finished job; results are deleted when their
 * retention has passed while the audit rows stay; jobs a stopped server left unfinished are marked failed.
 */
class JobLifecycleTest {

    @Test
    void aFinishedJobSurvivesARestartThenExpiresWhileItsAuditRowStays() throws Exception {
        try (RunningService svc = RunningService.start("jobs", b -> b.jobRetention(Duration.ofSeconds(2)))) {
            ObjectNode req = geolocate("job lifecycle", jpeg(1), "store", "false");
            req.put("response", "document");
            Reply created = svc.execute("geolocate", Role.ANALYST, req, "Prefer", "respond-async");
            assertEquals(201, created.status(), created.body());
            String id = created.json().get("jobID").asText();
            JsonNode status = waitFor(svc, svc.server, id);
            assertEquals("successful", status.get("status").asText());

            // A second server on the same database (a restart) answers the job and its results.
            try (GeoPigeonServer restarted = RunningService.start(RunningService.settings(), svc.bundle,
                    svc.db.dataSource())) {
                Reply results = svc.send(HttpRequest.newBuilder(restarted.uri().resolve("jobs/" + id + "/results"))
                        .header("Authorization", "Bearer " + svc.token(Role.ANALYST)).GET().build(), false);
                assertEquals(200, results.status(), results.body());
                long auditId = results.json().get("location").get("value").get("properties").get("audit_id").asLong();

                Thread.sleep(2200);
                JobStore store = new JobStore(svc.db.dataSource(), RunningService.JSON, "test");
                try (JobJanitor janitor = new JobJanitor(store, Duration.ofSeconds(2), Duration.ofMinutes(5),
                        Duration.ofHours(1), RunningService.JSON)) {
                    janitor.sweep(); // (its own first sweep, on its thread, may get there first)
                }
                assertEquals(404, svc.get("/jobs/" + id, Role.ANALYST).status());
                assertEquals("accepted", svc.auditRow(auditId).outcome(), "the audit row stays");
                assertEquals(id, svc.auditRow(auditId).parameters().get("job_id").asText());
            }
        }
    }

    @Test
    void jobsAbandonedByAStoppedServerAreMarkedFailed() throws Exception {
        try (RunningService svc = RunningService.start("abandoned")) {
            UUID id = UUID.randomUUID();
            try (Connection c = svc.db.connection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO geopigeon.jobs (id, process_id, owner, status, instance, updated)"
                            + " VALUES (?, 'geolocate', 'alice', 'running', 'gone', now() - interval '10 minutes')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            JobStore store = new JobStore(svc.db.dataSource(), RunningService.JSON, "test");
            try (JobJanitor janitor = new JobJanitor(store, Duration.ofHours(1), Duration.ofMinutes(5),
                    Duration.ofHours(1), RunningService.JSON)) {
                janitor.sweep();
            }
            Reply status = svc.get("/jobs/" + id, Role.ANALYST);
            assertEquals("failed", status.json().get("status").asText());
            Reply results = svc.get("/jobs/" + id + "/results", Role.ANALYST);
            assertEquals(500, results.status());
            assertEquals("JOB_ABANDONED", results.json().get("code").asText());
            assertTrue(results.json().get("detail").asText().contains("submit the job again"));
            try (Connection c = svc.db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT expires > now() FROM geopigeon.jobs WHERE id = '" + id + "'")) {
                rs.next();
                assertTrue(rs.getBoolean(1), "kept for the retention period");
            }
        }
    }

    private static JsonNode waitFor(RunningService svc, GeoPigeonServer server, String id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode s = svc.get("/jobs/" + id, Role.ANALYST).json();
            String st = s.get("status").asText();
            if (!st.equals("accepted") && !st.equals("running") || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(100);
        }
    }
}
