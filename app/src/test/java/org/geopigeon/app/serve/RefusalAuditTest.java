package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.geopigeon.app.serve.RawHttp.Answer;
import org.geopigeon.app.serve.RunningService.AuditRow;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every refusal of a geolocation request, wherever it happens (our gate, Jetty's body limits and parsers, the
 * execute request reader), is answered as problem details and audited with the code the caller sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalAuditTest {

    private static final String EXECUTE = "/processes/geolocate/execution";

    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        // 1 MiB of images: a body limit of 4/3 MiB + 1 MiB.
        svc = RunningService.start("refusals", b -> b.maxImageBytes(1 << 20).maxBufferedBytes(64L << 20));
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    private URI base() {
        return svc.server.uri();
    }

    private String head(String contentType, String extra) {
        return "POST " + EXECUTE + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + svc.token(Role.ANALYST)
                + "\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + extra;
    }

    /** The problem answered, checked for our format and an audit id; returns the audited row. */
    private AuditRow audited(Answer a, int status, String code) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/problem+json"), a.headers().toString());
        JsonNode p = RunningService.parse(a.body());
        assertEquals(code, p.path("code").asText(), a.body());
        assertTrue(p.hasNonNull("audit_id"), "audited: " + a.body());
        AuditRow row = svc.auditRow(p.get("audit_id").asLong());
        assertEquals(code, row.errorCode(), "the audit row has the code the caller saw");
        assertEquals("refused", row.outcome());
        return row;
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413TooLargeAndAudited() throws Exception {
        long limit = ServerSettings.maxUploadBody(1 << 20);
        byte[] json = ("{\"inputs\": {\"purpose\": \"x\", \"image\": \"" + "A".repeat((int) limit) + "\"}}")
                .getBytes(StandardCharsets.US_ASCII);
        Answer a = RawHttp.exchange(base(), head("application/json", "Transfer-Encoding: chunked\r\n\r\n"),
                chunked(json, 64 * 1024), Duration.ofSeconds(30));
        AuditRow row = audited(a, 413, "TOO_LARGE");
        assertEquals("alice", row.principal());
        assertTrue(RunningService.parse(a.body()).get("detail").asText().contains(String.valueOf(limit)), a.body());
    }

    @Test
    void brokenChunkedEncodingIsA400ProblemAndAudited() throws Exception {
        Answer a = RawHttp.exchange(base(), head("application/json", "Transfer-Encoding: chunked\r\n\r\n"),
                "zz\r\n{\"inputs\": {}}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
        AuditRow row = audited(a, 400, "INVALID_REQUEST");
        assertFalse(a.body().contains("Exception"), a.body());
    }

    @Test
    void headersTooLargeAreA431ProblemAndAudited() throws Exception {
        Answer a = RawHttp.exchange(base(), head("application/json", "X-Filler: " + "y".repeat(20_000)
                + "\r\nContent-Length: 2\r\n\r\n{}"), null, Duration.ofSeconds(10));
        AuditRow row = audited(a, 431, "HEADERS_TOO_LARGE");
        assertEquals("unauthenticated", row.principal(), "the headers were never read");
    }

    @Test
    void aMalformedContentLengthOnTheExecutePathIsAudited() throws Exception {
        Answer a = RawHttp.exchange(base(), head("application/json", "Content-Length: 12abc\r\n\r\n"), null,
                Duration.ofSeconds(5));
        audited(a, 400, "INVALID_REQUEST");
    }

    @Test
    void aLegacyMultipartUploadOverTheLimitIs413AndAudited() throws Exception {
        RunningService.Form form = new RunningService.Form().field("purpose", "too big")
                .file("image", "big.jpg", "image/jpeg", new byte[(1 << 20) + 4096]);
        byte[] body = form.body();
        String h = "POST /api/v1/locate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + svc.token(Role.ANALYST) + "\r\nContent-Type: " + form.contentType() + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        Answer a = RawHttp.exchange(base(), h, chunked(body, 8192), Duration.ofSeconds(30));
        AuditRow row = audited(a, 413, "TOO_LARGE");
        assertFalse(a.body().contains("Exception") || a.body().contains("jetty"), a.body());
        assertEquals("alice", row.principal());
    }

    @Test
    void refusalsAreAuditedWithTheCodeTheCallerSees() throws Exception {
        byte[] photo = RunningService.jpeg(7);
        RunningService.Reply r = svc.execute("geolocate", null, RunningService.geolocate("no token", photo));
        assertEquals("UNAUTHENTICATED", svc.auditRow(r.json().get("audit_id").asLong()).errorCode());
        r = svc.execute("geolocate", Role.VIEWER, RunningService.geolocate("viewer", photo));
        assertEquals(403, r.status());
        assertEquals("FORBIDDEN", svc.auditRow(r.json().get("audit_id").asLong()).errorCode());
        r = svc.post(EXECUTE, Role.ANALYST, "text/plain", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, r.status());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", svc.auditRow(r.json().get("audit_id").asLong()).errorCode());
        r = svc.post(EXECUTE, Role.ANALYST, "application/json", "{\"inputs\": {".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.status());
        assertEquals("INVALID_JSON", r.json().get("code").asText());
        assertEquals("INVALID_JSON", svc.auditRow(r.json().get("audit_id").asLong()).errorCode());
        r = svc.execute("geolocate", Role.ANALYST, RunningService.parse("{\"inputs\": {\"purpose\": \"x\","
                + " \"image\": {\"href\": \"http://169.254.169.254/latest/meta-data\"}}}"));
        assertEquals(400, r.status());
        assertEquals("HREF_NOT_ALLOWED", r.json().get("code").asText());
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("HREF_NOT_ALLOWED", row.errorCode());
        assertEquals("x", row.purpose(), "the purpose was read before the reference was refused");
    }

    @Test
    void whenTokensCannotBeCheckedTheRefusalNamesTheTokensPublicPrefix() throws Exception {
        String login = "app_" + svc.db.name().replaceAll("[^a-z0-9_]", "");
        try (java.sql.Connection c = svc.db.connection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + login + " LOGIN IN ROLE geopigeon_app");
            st.execute("REVOKE SELECT ON geopigeon.api_tokens FROM geopigeon_app");
        }
        String url = svc.db.jdbcUrl().replaceAll("user=[^&]*", "user=" + login);
        try (GeoPigeonServer app = RunningService.start(RunningService.settings(), svc.bundle,
                org.geopigeon.service.store.Migrations.dataSource(url, null, null))) {
            String token = svc.token(Role.ANALYST);
            RunningService.Reply r = svc.send(java.net.http.HttpRequest.newBuilder(app.uri().resolve(EXECUTE.substring(1)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RunningService.bytes(
                            RunningService.geolocate("token store down", RunningService.jpeg(3))))).build(), false);
            assertEquals(503, r.status(), r.body());
            assertEquals("AUTH_UNAVAILABLE", r.json().get("code").asText());
            AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
            assertEquals("AUTH_UNAVAILABLE", row.errorCode());
            assertEquals("failed", row.outcome());
            assertEquals("unauthenticated", row.principal(), "an unverified claim is not a principal");
            assertEquals(token.substring(0, 10), row.parameters().path("claimed_token_prefix").asText(),
                    "the public prefix that 'geopigeon token list' shows for alice's token");
            assertFalse(row.parameters().toString().contains(token.substring(10, 20)), "no more of the secret");
        } finally {
            try (java.sql.Connection c = svc.db.connection(); java.sql.Statement st = c.createStatement()) {
                st.execute("GRANT SELECT ON geopigeon.api_tokens TO geopigeon_app");
            }
        }
        // An unknown token of the right shape is named by its prefix too (failed logins an auditor can filter).
        String forged = "gpt_" + "A".repeat(43);
        RunningService.Reply r = svc.send(java.net.http.HttpRequest.newBuilder(svc.uri(EXECUTE))
                .header("Authorization", "Bearer " + forged).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RunningService.bytes(
                        RunningService.geolocate("forged", RunningService.jpeg(4))))).build(), false);
        assertEquals(401, r.status());
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("UNAUTHENTICATED", row.errorCode());
        assertEquals("gpt_AAAAAA", row.parameters().path("claimed_token_prefix").asText());
    }

    @Test
    void malformedJsonAndBase64AreExplainedInUserTermsInTheAnswerAndTheAuditRow() throws Exception {
        String[][] cases = {
                {"{\"inputs\": {", "INVALID_JSON", "ends before it is complete"},
                {"{\"inputs\" {}}", "INVALID_JSON", "unexpected character '{'; a colon was expected"},
                {"{\"inputs\": {\"purpose\": yes}}", "INVALID_JSON", "unexpected word 'yes'"},
                {"{\"inputs\": {\"purpose\": \"x\", \"image\": \"QUJD!A==\"}}", "INVALID_IMAGE",
                        "contains '!', which is not a base64 character"},
                {"{\"inputs\": {\"purpose\": \"x\", \"image\": \"not base64\"}}", "INVALID_IMAGE",
                        "a space or line break"},
        };
        for (String[] c : cases) {
            RunningService.Reply r = svc.post(EXECUTE, Role.ANALYST, "application/json",
                    c[0].getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.status(), c[0]);
            String detail = r.json().get("detail").asText();
            assertEquals(c[1], r.json().get("code").asText(), detail);
            assertTrue(detail.contains(c[2]), c[0] + " -> " + detail);
            assertTrue(detail.contains("line 1, column "), "says where: " + detail);
            String problem = svc.auditRow(r.json().get("audit_id").asLong()).parameters().get("problem").asText();
            assertEquals(detail, problem, "the audit row keeps what the caller was told");
            for (String internal : new String[] {"StreamReadFeature", "VALUE_STRING", "MIME-NO-LINEFEEDS", "Source:",
                    "REDACTED", "code 1", "Exception"}) {
                assertFalse(detail.contains(internal), "no parser internals: " + detail);
            }
        }
    }
}
