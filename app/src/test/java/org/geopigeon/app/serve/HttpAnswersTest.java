package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a fresh user met in the first trial of the service (docs/service.md): wrong methods, missing media types,
 * loosely typed inputs, dismissed jobs, stored predictions' creation time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAnswersTest {

    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        svc = RunningService.start("answers");
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    private Reply method(String method, String path) {
        return svc.send(HttpRequest.newBuilder(svc.uri(path)).header("Authorization", "Bearer "
                + svc.token(Role.ANALYST)).method(method, HttpRequest.BodyPublishers.noBody()).build(), false);
    }

    @Test
    void aWrongMethodIs405NamingTheMethodsThePathTakesInDetailAndAllow() {
        Reply put = method("PUT", "/jobs");
        assertEquals(405, put.status(), put.body());
        assertEquals("METHOD_NOT_ALLOWED", put.json().get("code").asText());
        assertEquals("GET, HEAD", put.header("Allow"));
        String detail = put.json().get("detail").asText();
        assertTrue(detail.contains("does not take PUT; allowed: GET, HEAD"), detail);
        assertFalse(detail.contains("availableMethods"), detail);

        Reply delete = method("DELETE", "/processes/geolocate");
        assertEquals(405, delete.status(), delete.body());
        assertEquals("GET, HEAD", delete.header("Allow"));
        Reply get = method("GET", "/processes/geolocate/execution");
        assertEquals(405, get.status(), get.body());
        assertEquals("POST", get.header("Allow"));
    }

    @Test
    void anExecuteRequestWithoutContentTypeIs415AndAudited() throws Exception {
        Reply r = svc.post("/processes/geolocate/execution", Role.ANALYST, null,
                RunningService.bytes(RunningService.geolocate("no media type", RunningService.jpeg(1))));
        assertEquals(415, r.status(), r.body());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", r.json().get("code").asText());
        assertTrue(r.json().get("detail").asText().contains("Content-Type: application/json"), r.body());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", svc.auditRow(r.json().get("audit_id").asLong()).errorCode());
    }

    @Test
    void inputsMustHaveTheirJsonTypesBooleansAndIntegersAlike() throws Exception {
        byte[] photo = RunningService.jpeg(2);
        for (String[] c : new String[][] {{"store", "\"yes\"", "INVALID_PARAMETER"}, {"store", "\"true\"",
                "INVALID_PARAMETER"}, {"store", "1", "INVALID_PARAMETER"}, {"topK", "\"five\"", "INVALID_TOP_K"},
                {"topK", "\"5\"", "INVALID_TOP_K"}}) {
            Reply r = svc.execute("geolocate", Role.ANALYST, RunningService.geolocate("types", photo, c[0], c[1]));
            assertEquals(400, r.status(), c[0] + "=" + c[1] + ": " + r.body());
            assertEquals(c[2], r.json().get("code").asText(), r.body());
            assertTrue(r.json().get("detail").asText().contains(c[0].equals("store") ? "JSON boolean"
                    : "JSON integer"), r.body());
        }
        Reply ok = svc.execute("geolocate", Role.ANALYST, RunningService.geolocate("types", photo, "store", "false",
                "topK", "5"));
        assertEquals(200, ok.status(), ok.body());
    }

    @Test
    void aStoredPredictionsResultSaysWhenItWasStoredAsItsStoredCopyDoes() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode req = RunningService.geolocate("stored", RunningService.jpeg(3),
                "store", "true");
        req.put("response", "document");
        Reply r = svc.execute("geolocate", Role.ANALYST, req);
        assertEquals(200, r.status(), r.body());
        com.fasterxml.jackson.databind.JsonNode props = r.json().get("location").get("value")
                .get("properties");
        assertTrue(props.hasNonNull("prediction_id"), r.body());
        assertTrue(props.hasNonNull("created"), "created of a stored prediction: " + props);
        Reply stored = svc.get("/predictions/" + props.get("prediction_id").asLong(), Role.ANALYST);
        assertEquals(200, stored.status(), stored.body());
        assertEquals(java.time.OffsetDateTime.parse(stored.json().get("features").get(0).get("properties")
                .get("created").asText()).toInstant(), java.time.OffsetDateTime.parse(props.get("created").asText())
                .toInstant());
        req = RunningService.geolocate("not stored", RunningService.jpeg(4), "store", "false");
        req.put("response", "document");
        Reply fresh = svc.execute("geolocate", Role.ANALYST, req);
        assertFalse(fresh.json().get("location").get("value").get("properties").hasNonNull("created"),
                "an answer that was not stored has no creation time");
    }
}
