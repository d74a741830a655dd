package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.geopigeon.app.serve.RunningService.AuditRow;
import org.geopigeon.app.serve.RunningService.Form;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The first API: /api/v1/locate keeps working (with a token), the read paths redirect. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyApiTest {

    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        svc = RunningService.start("legacy");
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    private Reply locate(Form form) {
        return svc.post("/api/v1/locate", Role.ANALYST, form.contentType(), form.body());
    }

    @Test
    void aMultipartUploadAnswersTheEstimateThenTheCellsAsBefore() throws SQLException {
        Reply r = locate(new Form().file("image", "photo.jpg", "image/jpeg", jpeg(1))
                .field("purpose", "verifying a news photo").field("topK", "3"));
        assertEquals(200, r.status(), r.body());
        assertEquals("true", r.header("Deprecation"));
        assertTrue(r.header("Link").contains("/processes/geolocate/execution"));
        JsonNode features = r.json().get("features");
        assertEquals(4, features.size(), "estimate + 3 cells");
        assertEquals("estimate", features.get(0).get("properties").get("kind").asText());
        long predictionId = features.get(0).get("properties").get("prediction_id").asLong();
        assertEquals("/predictions/" + predictionId, r.header("Location"));
        AuditRow row = svc.auditRow(features.get(0).get("properties").get("audit_id").asLong());
        assertEquals("alice", row.principal());
        assertEquals("http", row.parameters().get("interface").asText());
        assertEquals(200, svc.get("/predictions/" + predictionId, Role.ANALYST).status());
    }

    @Test
    void aRawImageBodyTakesItsFieldsFromTheQueryString() {
        Reply r = svc.post("/api/v1/locate?purpose=raw%20upload&topK=2&store=false", Role.ANALYST, "image/jpeg",
                jpeg(2));
        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().get("features").size());
        assertTrue(r.json().get("features").get(0).get("properties").get("prediction_id").isNull());
    }

    @Test
    void fourPartsAreOnePanorama() {
        Form f = new Form().field("purpose", "panorama");
        for (int i = 0; i < 4; i++) {
            f.file("image", "view" + i + ".jpg", "image/jpeg", jpeg(10 + i));
        }
        Reply r = locate(f);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().get("features").get(0).get("properties").get("panorama").asBoolean());
    }

    @Test
    void refusalsKeepTheirStatusAndCodeAndAreAudited() throws SQLException {
        assertRefused(locate(new Form().file("image", "a.jpg", "image/jpeg", jpeg(3))), 422, "INVALID_PURPOSE");
        assertRefused(locate(new Form().file("image", "a.jpg", "image/jpeg", jpeg(3)).field("purpose", "p")
                .field("topK", "lots")), 400, "INVALID_TOP_K");
        assertRefused(locate(new Form().file("image", "notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                .field("purpose", "p")), 415, "INVALID_IMAGE");
        assertRefused(svc.post("/api/v1/locate?purpose=p", Role.ANALYST, "text/plain", "hello".getBytes()), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertRefused(svc.post("/api/v1/locate", Role.ANALYST, "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\np".getBytes()), 400,
                "INVALID_MULTIPART");
        assertRefused(locate(new Form().file("image", "a.jpg", "image/jpeg", jpeg(4)).file("image", "b.jpg",
                "image/jpeg", jpeg(5)).field("purpose", "two")), 400, "INVALID_IMAGE_COUNT");
    }

    @Test
    void anImageDeclaredAsAnotherTypeIsRefusedWith415NamingBothAndNoFileNameIsAudited() throws SQLException {
        Reply r = locate(new Form().file("image", "street.png", "image/png", jpeg(6)).field("purpose", "test"));
        assertRefused(r, 415, "INVALID_IMAGE");
        assertTrue(r.json().get("detail").asText().contains("declared as image/png"), r.body());
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertTrue(!row.parameters().toString().contains("street.png"), "file names are never audited");
    }

    private void assertRefused(Reply r, int status, String code) throws SQLException {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("code").asText(), r.body());
        assertNotNull(r.json().get("detail"));
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("refused", row.outcome());
        assertEquals("alice", row.principal());
    }

    @Test
    void theReadPathsRedirectPermanentlyWithANote() {
        for (String[] p : new String[][] {{"/api/v1/predictions?limit=5", "/predictions?limit=5"},
                {"/api/v1/predictions/7", "/predictions/7"}, {"/api/v1/health", "/health/ready"},
                {"/api/v1/model", "/model"}, {"/api/v1/boundaries", "/boundaries"}}) {
            Reply r = svc.get(p[0], null);
            assertEquals(308, r.status(), p[0]);
            assertEquals(p[1], r.header("Location"));
            assertTrue(r.json().get("note").asText().contains("OGC API"), r.body());
        }
    }
}
