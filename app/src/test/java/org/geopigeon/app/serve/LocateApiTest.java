package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import org.geopigeon.app.serve.RunningService.AuditRow;
import org.geopigeon.app.serve.RunningService.Form;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.service.store.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /api/v1/locate} against a real server, demo bundle and PostGIS: answers and their audit rows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocateApiTest {

    /** Small, so the 413 test does not need a huge body. */
    private static final long UPLOAD_LIMIT = 512 * 1024;

    private RunningService service;

    @BeforeAll
    void start() throws Exception {
        service = RunningService.start("serve_locate", RunningService.settings().withMaxUploadBytes(UPLOAD_LIMIT));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void multipartUploadReturnsTheEstimateAndTopKCellsSortedByProbabilityAndIsAudited() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "street.jpg", "image/jpeg", RunningService.jpeg(1))
                .field("purpose", "verifying a news photo").field("topK", "4"));

        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/geo+json"), r.header("Content-Type"));
        JsonNode features = r.json().get("features");
        assertEquals("FeatureCollection", r.json().get("type").asText());
        assertEquals(4 + 1, features.size());
        JsonNode estimate = features.get(0).get("properties");
        assertEquals("Point", features.get(0).get("geometry").get("type").asText());
        assertEquals("estimate", estimate.get("kind").asText());
        assertEquals("geopigeon-demo-untrained", estimate.get("model").asText());
        assertFalse(estimate.get("trained").asBoolean());
        assertTrue(estimate.get("exif_gps").isNull(), "a synthetic JPEG has no GPS");
        double confidence = estimate.get("confidence").asDouble();
        assertTrue(confidence >= 0 && confidence <= 1, "confidence " + confidence);

        double previous = 1.0;
        for (int rank = 1; rank <= 4; rank++) {
            JsonNode cell = features.get(rank);
            JsonNode p = cell.get("properties");
            assertEquals("cell", p.get("kind").asText());
            assertEquals(rank, p.get("rank").asInt());
            assertTrue(cell.get("geometry").get("type").asText().endsWith("Polygon"));
            assertFalse(p.get("cell_id").asText().isEmpty());
            assertFalse(p.get("country").asText().isEmpty());
            double prob = p.get("probability").asDouble();
            assertTrue(prob <= previous, "rank " + rank + " probability " + prob + " > rank " + (rank - 1));
            previous = prob;
        }

        long predictionId = estimate.get("prediction_id").asLong();
        assertEquals("/api/v1/predictions/" + predictionId, r.header("Location"));
        AuditRow audit = service.auditRow(estimate.get("audit_id").asLong());
        assertEquals("accepted", audit.outcome());
        assertEquals("verifying a news photo", audit.purpose());
        assertEquals("anonymous", audit.principal());
        assertEquals("127.0.0.1", audit.clientAddress());
        assertEquals(predictionId, audit.predictionId());
        assertEquals(1, audit.images());
        assertTrue(audit.parameters().contains("\"interface\": \"http\""), audit.parameters());
    }

    @Test
    void rawJpegBodyTakesItsFieldsFromTheQueryString() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=checking%20a%20claim&topK=3&store=false", "image/jpeg",
                RunningService.jpeg(2));

        assertEquals(200, r.status(), r.body());
        assertEquals(3 + 1, r.json().get("features").size());
        JsonNode estimate = r.json().get("features").get(0).get("properties");
        assertTrue(estimate.get("prediction_id").isNull(), "store=false stores nothing");
        AuditRow audit = service.auditRow(estimate.get("audit_id").asLong());
        assertEquals("accepted", audit.outcome());
        assertEquals("checking a claim", audit.purpose());
        assertNull(audit.predictionId());
    }

    @Test
    void exifGpsOfThePhotoIsReturnedWithTheDistanceToTheEstimate() throws Exception {
        byte[] photo = Files.readAllBytes(RunningService.REPO.resolve("sample-data/photos/street_with_gps.jpg"));
        Reply r = service.post("/api/v1/locate?purpose=test", "image/jpeg", photo);

        assertEquals(200, r.status(), r.body());
        JsonNode estimate = r.json().get("features").get(0).get("properties");
        JsonNode gps = estimate.get("exif_gps");
        assertTrue(gps.has("lat") && gps.has("lon"), estimate.toString());
        double km = org.geopigeon.engine.geo.Haversine.km(gps.get("lat").asDouble(), gps.get("lon").asDouble(),
                estimate.get("lat").asDouble(), estimate.get("lon").asDouble());
        assertEquals(km, estimate.get("exif_distance_km").asDouble(), 0.01);
    }

    @Test
    void emptyBodyIsRefusedWith400NamingTheProblemAndAudited() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=test", "image/jpeg", new byte[0]);

        assertError(r, 400, "INVALID_IMAGE", "empty");
        assertRefusedAudit(r, "INVALID_IMAGE");
    }

    @Test
    void textFileIsRefusedAsUnsupportedMediaNamingTheFile() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "notes.txt", "text/plain",
                "these are my notes, not a photo".getBytes(StandardCharsets.UTF_8)).field("purpose", "test"));

        assertError(r, 415, "INVALID_IMAGE", "notes.txt");
        assertRefusedAudit(r, "INVALID_IMAGE");
    }

    @Test
    void anImageDeclaredAsAnotherTypeIsRefusedWith415NamingBoth() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "street.png", "image/png", RunningService.jpeg(2))
                .field("purpose", "test"));

        assertError(r, 415, "INVALID_IMAGE", "declared as image/png but its bytes are a JPEG image");
        AuditRow audit = assertRefusedAudit(r, "INVALID_IMAGE");
        assertTrue(audit.parameters().contains("MEDIA_TYPE_MISMATCH"), audit.parameters());
        assertFalse(audit.parameters().contains("street.png"), "file names are never audited");
    }

    @Test
    void anImageUnder32PixelsIsRefusedAsTheCliAndTheWpsRefuseIt() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=test", "image/png",
                org.geopigeon.service.testing.TestImages.png(org.geopigeon.service.testing.TestImages.scene(20, 20, 1)));

        assertError(r, 400, "INVALID_IMAGE", "20 x 20 pixels; at least 32 x 32");
        assertRefusedAudit(r, "INVALID_IMAGE");
    }

    @Test
    void rawTextBodyIsRefusedAsUnsupportedMediaType() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=test", "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8));

        assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE", "text/plain");
        AuditRow audit = assertRefusedAudit(r, "INVALID_REQUEST");
        assertEquals("test", audit.purpose());
        assertTrue(audit.parameters().contains("text/plain"), "the exact problem is recorded: " + audit.parameters());
    }

    @Test
    void missingPurposeIsRefusedWith422() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(3)));

        assertError(r, 422, "INVALID_PURPOSE", "purpose is required");
        assertRefusedAudit(r, "INVALID_PURPOSE");
    }

    @Test
    void blankPurposeIsRefusedWith422() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(3))
                .field("purpose", "   "));

        assertError(r, 422, "INVALID_PURPOSE", "purpose");
        assertRefusedAudit(r, "INVALID_PURPOSE");
    }

    @Test
    void twoImagesAreRefusedBecauseAPanoramaHasFourViews() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(4))
                .file("image", "b.jpg", "image/jpeg", RunningService.jpeg(5)).field("purpose", "test"));

        assertError(r, 400, "INVALID_IMAGE_COUNT", "got 2");
        AuditRow audit = assertRefusedAudit(r, "INVALID_IMAGE_COUNT");
        assertEquals(0, audit.images(), "the count is checked before any image is read or decoded");
        assertTrue(audit.parameters().contains("\"views\": 2"), audit.parameters());
    }

    @Test
    void fourViewsAreLocatedAsOnePanorama() {
        Form form = new Form().field("purpose", "test").field("topK", "2");
        for (int i = 0; i < 4; i++) {
            form.file("image", "view" + i + ".jpg", "image/jpeg", RunningService.jpeg(10 + i));
        }
        Reply r = service.postForm(form);

        assertEquals(200, r.status(), r.body());
        JsonNode estimate = r.json().get("features").get(0).get("properties");
        assertTrue(estimate.get("panorama").asBoolean());
        assertEquals(4, estimate.get("image_sha256").size());
    }

    @Test
    void nonNumericTopKIsRefusedWith400() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(6))
                .field("purpose", "test").field("topK", "many"));

        assertError(r, 400, "INVALID_TOP_K", "'many'");
        assertRefusedAudit(r, "INVALID_TOP_K");
    }

    @Test
    void topKAboveTheMaximumIsRefusedWith400() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=test&topK=51", "image/jpeg", RunningService.jpeg(7));

        assertError(r, 400, "INVALID_TOP_K", "51");
        assertRefusedAudit(r, "INVALID_TOP_K");
    }

    @Test
    void bodyOverTheUploadLimitIsRefusedWith413() throws SQLException {
        Reply r = service.post("/api/v1/locate?purpose=test", "image/jpeg", new byte[(int) UPLOAD_LIMIT + 1]);

        assertError(r, 413, "TOO_LARGE", "limit");
        assertRefusedAudit(r, "INVALID_REQUEST");
    }

    @Test
    void brokenMultipartIsRefusedWith400() throws SQLException {
        byte[] truncated = "--abc\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ntest"
                .getBytes(StandardCharsets.UTF_8);
        Reply r = service.post("/api/v1/locate", "multipart/form-data; boundary=abc", truncated);

        assertError(r, 400, "INVALID_MULTIPART", "truncated");
        assertRefusedAudit(r, "INVALID_REQUEST");
    }

    @Test
    void aPageOfAnotherOriginCannotPostPhotos() throws SQLException {
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(8))
                .field("purpose", "test"), "Origin", "https://evil.example");

        assertError(r, 403, "CROSS_ORIGIN", "evil.example");
        assertRefusedAudit(r, "INVALID_REQUEST");
    }

    @Test
    void theRemoteUserHeaderIsIgnoredUnlessTheProxyIsTrusted() throws Exception {
        byte[] jpeg = RunningService.jpeg(9);
        Reply untrusted = service.post("/api/v1/locate?purpose=test&store=false", "image/jpeg", jpeg,
                "X-Remote-User", "mallory");
        assertEquals(200, untrusted.status(), untrusted.body());
        assertEquals("anonymous", service.auditRow(auditId(untrusted)).principal());

        try (GeoPigeonServer trusting = RunningService.start(RunningService.settings().withTrustProxyUser(true),
                service.bundle, service.db.dataSource())) {
            Reply r = service.post(trusting, "/api/v1/locate?purpose=test&store=false", "image/jpeg", jpeg,
                    "X-Remote-User", "alice", "X-Forwarded-For", "203.0.113.7");
            assertEquals(200, r.status(), r.body());
            AuditRow audit = service.auditRow(auditId(r));
            assertEquals("alice", audit.principal());
            assertEquals("127.0.0.1", audit.clientAddress(), "the socket peer, never a header");
            assertTrue(audit.parameters().contains("203.0.113.7"), audit.parameters());
        }
    }

    @Test
    void withTheDatabaseGoneNoResultIsReturned() throws Exception {
        var unreachable = Migrations.dataSource("jdbc:postgresql://127.0.0.1:9/none?user=x&connectTimeout=2", null,
                null);
        try (GeoPigeonServer broken = RunningService.start(RunningService.settings(), service.bundle, unreachable)) {
            long rowsBefore = service.auditRowCount();
            Reply r = service.post(broken, "/api/v1/locate?purpose=test", "image/jpeg", RunningService.jpeg(1));

            assertError(r, 503, "STORE_FAILED", "could not be recorded");
            assertFalse(r.json().has("features"), "fail closed: no prediction without its audit row");
            String message = r.json().get("message").asText();
            assertTrue(message.contains("incident"), message);
            for (String leak : new String[] {"Exception", "SQL", "jdbc", "127.0.0.1", "org."}) {
                assertFalse(message.contains(leak), leak + " in " + message);
            }
            assertFalse(r.json().has("audit_id"));
            assertEquals(rowsBefore, service.auditRowCount());
        }
    }

    @Test
    void getIsNotAllowedOnLocate() {
        Reply r = service.get("/api/v1/locate");

        assertError(r, 405, "METHOD_NOT_ALLOWED", "POST");
        assertEquals("POST", r.header("Allow"));
    }

    private static void assertError(Reply r, int status, String code, String messagePart) {
        assertEquals(status, r.status(), r.body());
        assertNotNull(r.json(), "error bodies are JSON: " + r.body());
        assertEquals(code, r.json().get("code").asText(), r.body());
        assertEquals(Response.reason(status), r.json().get("error").asText());
        assertTrue(r.json().get("message").asText().contains(messagePart),
                "message should mention '" + messagePart + "': " + r.json().get("message"));
    }

    private AuditRow assertRefusedAudit(Reply r, String errorCode) throws SQLException {
        assertTrue(r.json().has("audit_id"), "the refusal names its audit row: " + r.body());
        AuditRow audit = service.auditRow(r.json().get("audit_id").asLong());
        assertEquals("refused", audit.outcome());
        assertEquals(errorCode, audit.errorCode());
        assertNull(audit.predictionId());
        return audit;
    }

    private static long auditId(Reply r) {
        return r.json().get("features").get(0).get("properties").get("audit_id").asLong();
    }
}
