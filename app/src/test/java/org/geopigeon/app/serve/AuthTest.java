package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.geolocate;
import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.geopigeon.app.serve.RunningService.AuditRow;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.AuthMode;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Accounts and roles: who may do what, and that the principal lands in every audit row. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {

    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        svc = RunningService.start("auth");
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    @Test
    void protectedResourcesNeedAValidBearerToken() {
        Reply none = svc.get("/jobs", null);
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"geopigeon\"", none.header("WWW-Authenticate"));
        assertEquals("UNAUTHENTICATED", none.json().get("code").asText());
        Reply wrong = svc.send(HttpRequest.newBuilder(svc.uri("/jobs")).header("Authorization", "Bearer gpt_nope")
                .GET().build(), true);
        assertEquals(401, wrong.status());
        assertTrue(wrong.json().get("detail").asText().contains("unknown or revoked"), wrong.body());
        Reply basic = svc.send(HttpRequest.newBuilder(svc.uri("/jobs")).header("Authorization", "Basic YTpi")
                .GET().build(), true);
        assertEquals(401, basic.status());
        assertTrue(basic.json().get("detail").asText().contains("Bearer"), basic.body());
        assertEquals(200, svc.get("/processes", null).status(), "discovery documents are public");
        assertEquals(200, svc.get("/health/live", null).status());
    }

    @Test
    void anUnauthenticatedExecutionIsRefusedAndAuditedWithoutReadingTheBody() throws Exception {
        long rows = svc.auditRowCount();
        Reply r = svc.execute("geolocate", null, geolocate("no token", jpeg(1)));
        assertEquals(401, r.status());
        assertEquals(rows + 1, svc.auditRowCount());
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("unauthenticated", row.principal());
        assertEquals("refused", row.outcome());
        assertEquals("UNAUTHENTICATED", row.errorCode());
        assertEquals("127.0.0.1", row.clientAddress());
    }

    @Test
    void aViewerMayBrowseButNotLocateAndTheRefusalNamesThem() throws Exception {
        Reply r = svc.execute("geolocate", Role.VIEWER, geolocate("browsing only", jpeg(2)));
        assertEquals(403, r.status());
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("victor", row.principal());
        assertEquals("viewer", row.parameters().get("role").asText());
        assertEquals(200, svc.get("/predictions", Role.VIEWER).status());
        assertEquals(403, svc.get("/jobs", Role.VIEWER).status());
    }

    @Test
    void onlyAuditorsAndAdminsReadAndVerifyTheAuditLog() {
        assertEquals(403, svc.get("/audit", Role.ANALYST).status());
        assertEquals(403, svc.get("/audit/verify", Role.VIEWER).status());
        Reply rows = svc.get("/audit?limit=5", Role.AUDITOR);
        assertEquals(200, rows.status());
        assertTrue(rows.json().get("rows").isArray());
        Reply verify = svc.get("/audit/verify", Role.ADMIN);
        assertEquals(200, verify.status());
        assertTrue(verify.json().get("intact").asBoolean());
    }

    @Test
    void anAnalystSeesOnlyTheirOwnStoredPredictionsAndOthersSeeAll() throws Exception {
        ObjectNode req = geolocate("own predictions", jpeg(3), "store", "true");
        req.put("response", "document");
        long id = svc.execute("geolocate", Role.ANALYST, req).json().get("location").get("value").get("properties")
                .get("prediction_id").asLong();
        String bob = new ApiTokens(svc.db.dataSource()).create("bob", Role.ANALYST, "test").secret();
        Reply asBob = svc.send(HttpRequest.newBuilder(svc.uri("/predictions/" + id))
                .header("Authorization", "Bearer " + bob).GET().build(), true);
        assertEquals(404, asBob.status(), "another analyst does not see alice's prediction");
        Reply bobList = svc.send(HttpRequest.newBuilder(svc.uri("/predictions?limit=500"))
                .header("Authorization", "Bearer " + bob).GET().build(), true);
        assertEquals(0, bobList.json().get("features").size());
        assertEquals(200, svc.get("/predictions/" + id, Role.ANALYST).status());
        assertEquals(200, svc.get("/predictions/" + id, Role.VIEWER).status());
        assertEquals(200, svc.get("/predictions/" + id, Role.AUDITOR).status());
    }

    @Test
    void aRevokedTokenStopsWorking() {
        ApiTokens tokens = new ApiTokens(svc.db.dataSource());
        String t = tokens.create("temp", Role.VIEWER, "test").secret();
        HttpRequest req = HttpRequest.newBuilder(svc.uri("/model")).header("Authorization", "Bearer " + t).GET().build();
        assertEquals(200, svc.send(req, true).status());
        assertTrue(tokens.revoke("temp", "test").isPresent());
        assertEquals(401, svc.send(req, true).status());
    }

    @Test
    void aPageOfAnotherOriginCannotPostPhotos() throws Exception {
        Reply r = svc.execute("geolocate", Role.ANALYST, geolocate("cross origin", jpeg(4)),
                "Origin", "https://evil.example");
        assertEquals(403, r.status());
        assertEquals("CROSS_ORIGIN", r.json().get("code").asText());
        assertEquals("alice", svc.auditRow(r.json().get("audit_id").asLong()).principal());
    }

    @Test
    void withoutAuthenticationOnLoopbackTheOperatingSystemUserIsThePrincipal() throws Exception {
        try (GeoPigeonServer open = RunningService.start(RunningService.settings().toBuilder()
                .authMode(AuthMode.LOOPBACK_ONLY).build(), svc.bundle, svc.db.dataSource())) {
            ObjectNode req = geolocate("local use", jpeg(5), "store", "false");
            req.put("response", "document");
            Reply r = svc.send(HttpRequest.newBuilder(open.uri().resolve("processes/geolocate/execution"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                            RunningService.bytes(req))).build(), false);
            assertEquals(200, r.status(), r.body());
            AuditRow row = svc.auditRow(r.json().get("location").get("value").get("properties").get("audit_id").asLong());
            assertEquals(System.getProperty("user.name"), row.principal());
            assertEquals("loopback", row.parameters().get("auth").asText());
            // A web page cannot reach it through DNS rebinding: the Host must name this machine.
            RawHttp.Answer rebound = RawHttp.exchange(open.uri(), "GET /jobs HTTP/1.1\r\nHost: attacker.example\r\n"
                    + "Connection: close\r\n\r\n", null, Duration.ofSeconds(5));
            assertEquals(421, rebound.status());
            assertTrue(rebound.body().contains("localhost"), rebound.body());
        }
    }

    @Test
    void aTrustedProxyNamesTheUserAndOtherwiseTheHeaderIsIgnored() throws Exception {
        ObjectNode req = geolocate("behind a proxy", jpeg(6), "store", "false");
        req.put("response", "document");
        HttpRequest.Builder b = HttpRequest.newBuilder().header("Content-Type", "application/json")
                .header("X-Remote-User", "carol").header("X-Remote-Role", "analyst")
                .header("X-Forwarded-For", "203.0.113.7").POST(HttpRequest.BodyPublishers.ofByteArray(
                        RunningService.bytes(req))).timeout(Duration.ofSeconds(60));
        assertEquals(401, svc.send(b.copy().uri(svc.uri("/processes/geolocate/execution")).build(), false).status(),
                "without --trust-proxy-user the header names nobody");
        try (GeoPigeonServer proxied = RunningService.start(RunningService.settings().toBuilder()
                .trustProxyUser(true).build(), svc.bundle, svc.db.dataSource())) {
            Reply r = svc.send(b.copy().uri(proxied.uri().resolve("processes/geolocate/execution")).build(), false);
            assertEquals(200, r.status(), r.body());
            JsonNode props = r.json().get("location").get("value").get("properties");
            AuditRow row = svc.auditRow(props.get("audit_id").asLong());
            assertEquals("carol", row.principal());
            assertEquals("proxy", row.parameters().get("auth").asText());
            assertEquals("203.0.113.7", row.parameters().get("forwarded_for").asText());
        }
    }

    @Test
    void tokensAreStoredOnlyAsHashes() throws Exception {
        String secret = svc.token(Role.ANALYST);
        try (var c = svc.db.connection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT string_agg(name || role || token_prefix || encode(token_sha256, 'hex'),"
                     + " ' ') FROM geopigeon.api_tokens")) {
            rs.next();
            String all = rs.getString(1);
            assertNotNull(all);
            assertFalse(all.contains(secret.substring(4)), "the secret is not in the table");
        }
    }
}
