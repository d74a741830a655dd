package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.app.serve.RunningService.Form;
import org.geopigeon.app.serve.RunningService.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The viewer, stored predictions read back from the PostGIS views, health and model endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadApiTest {

    private RunningService service;
    private JsonNode located;

    @BeforeAll
    void start() throws Exception {
        service = RunningService.start("serve_read", RunningService.settings());
        Reply r = service.postForm(new Form().file("image", "a.jpg", "image/jpeg", RunningService.jpeg(21))
                .field("purpose", "read-back test").field("topK", "3"));
        assertEquals(200, r.status(), r.body());
        located = r.json();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    private long predictionId() {
        return located.get("features").get(0).get("properties").get("prediction_id").asLong();
    }

    @Test
    void theStoredPredictionIsReadBackWithTheSameCellsAndPoint() {
        Reply r = service.get("/api/v1/predictions/" + predictionId());

        assertEquals(200, r.status(), r.body());
        JsonNode stored = r.json().get("features");
        JsonNode fresh = located.get("features");
        assertEquals(fresh.size(), stored.size());
        JsonNode est = stored.get(0).get("properties");
        assertEquals(predictionId(), est.get("prediction_id").asLong());
        assertEquals("geopigeon-demo-untrained", est.get("model").asText());
        assertFalse(est.get("trained").asBoolean());
        assertTrue(est.has("created"));
        JsonNode freshEst = fresh.get(0).get("properties");
        assertEquals(freshEst.get("audit_id"), est.get("audit_id"), "the same answer model, stored or fresh");
        assertEquals(freshEst.get("image_sha256"), est.get("image_sha256"));
        assertEquals(freshEst.get("exif_gps"), est.get("exif_gps"));
        assertEquals(freshEst.get("timings_ms").get("decode").asDouble(), est.get("timings_ms").get("decode").asDouble(),
                1e-3);
        for (int axis = 0; axis < 2; axis++) {
            assertEquals(fresh.get(0).get("geometry").get("coordinates").get(axis).asDouble(),
                    stored.get(0).get("geometry").get("coordinates").get(axis).asDouble(), 1e-6);
        }
        for (int i = 1; i < fresh.size(); i++) {
            JsonNode a = fresh.get(i).get("properties");
            JsonNode b = stored.get(i).get("properties");
            assertEquals(a.get("rank").asInt(), b.get("rank").asInt());
            assertEquals(a.get("cell_id").asText(), b.get("cell_id").asText());
            assertEquals(a.get("name").asText(), b.get("name").asText());
            assertEquals(a.get("probability").asDouble(), b.get("probability").asDouble(), 1e-6);
            assertEquals("MultiPolygon", stored.get(i).get("geometry").get("type").asText());
        }
    }

    @Test
    void recentPredictionsListTheStoredOneNewestFirst() {
        Reply second = service.post("/api/v1/locate?purpose=second&topK=2", "image/jpeg", RunningService.jpeg(22));
        assertEquals(200, second.status(), second.body());
        long secondId = second.json().get("features").get(0).get("properties").get("prediction_id").asLong();

        Reply r = service.get("/api/v1/predictions?limit=10");

        assertEquals(200, r.status(), r.body());
        List<Long> ids = new ArrayList<>();
        for (JsonNode f : r.json().get("features")) {
            assertEquals("Point", f.get("geometry").get("type").asText());
            assertFalse(f.get("properties").get("top1_cell_id").asText().isEmpty());
            ids.add(f.get("properties").get("prediction_id").asLong());
        }
        assertTrue(ids.contains(predictionId()), ids.toString());
        assertTrue(ids.indexOf(secondId) < ids.indexOf(predictionId()), "newest first: " + ids);
        assertEquals(1, service.get("/api/v1/predictions?limit=1").json().get("features").size());
    }

    @Test
    void unknownOrMalformedPredictionIdsAre404AndBadLimitsAre400() {
        Reply unknown = service.get("/api/v1/predictions/999999");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("message").asText().contains("999999"));
        assertEquals(404, service.get("/api/v1/predictions/abc").status());
        Reply badLimit = service.get("/api/v1/predictions?limit=0");
        assertEquals(400, badLimit.status());
        assertTrue(badLimit.json().get("message").asText().contains("limit"), badLimit.body());
    }

    @Test
    void theViewerPageIsServedWithItsScriptAndAStrictContentSecurityPolicy() {
        Reply page = service.get("/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.body().contains("<svg") && page.body().contains("viewer.js"), page.body());
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));

        Reply script = service.get("/viewer.js");
        assertEquals(200, script.status());
        assertTrue(script.body().contains("api/v1/locate") || script.body().contains("'locate'"));
        assertEquals(200, service.get("/viewer.css").status());
        Reply missing = service.get("/nothing-here");
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.json().get("code").asText());
    }

    @Test
    void boundariesAreTheCountryOutlinesOrTheModelsGeocells() {
        Reply r = service.get("/api/v1/boundaries");

        assertEquals(200, r.status());
        assertEquals("FeatureCollection", r.json().get("type").asText());
        String kind = r.header("X-GeoPigeon-Boundaries");
        int expected = kind.equals("geocells") ? service.bundle.geocells().size() : 100;
        assertTrue(r.json().get("features").size() >= expected, kind + ": " + r.json().get("features").size());
    }

    @Test
    void healthReportsModelAndDatabaseAndVerifiesTheAuditChainOnRequest() {
        Reply r = service.get("/api/v1/health");
        assertEquals(200, r.status(), r.body());
        assertEquals("ok", r.json().get("status").asText());
        assertEquals("geopigeon-demo-untrained", r.json().get("model").asText());
        assertFalse(r.json().get("trained").asBoolean());
        assertTrue(r.json().get("database").get("reachable").asBoolean());
        assertFalse(r.json().get("audit_chain").get("checked").asBoolean());

        JsonNode chain = service.get("/api/v1/health?verify=true").json().get("audit_chain");
        assertTrue(chain.get("intact").asBoolean(), chain.toString());
        assertTrue(chain.get("rows_checked").asLong() >= 1, chain.toString());
    }

    @Test
    void modelSummarySaysTheDemoWeightsAreUntrained() {
        Reply r = service.get("/api/v1/model");

        assertEquals(200, r.status());
        assertEquals("geopigeon-demo-untrained", r.json().get("name").asText());
        assertFalse(r.json().get("trained").asBoolean());
        assertTrue(r.json().get("warning").asText().contains("no geographic information"));
        assertEquals(service.bundle.geocells().size(), r.json().get("geocells").asInt());
    }

    @Test
    void unknownApiPathsAre404Json() {
        Reply r = service.get("/api/v1/healthz");
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.json().get("code").asText());
        assertEquals(404, service.get("/api/v2/anything").status());
    }
}
