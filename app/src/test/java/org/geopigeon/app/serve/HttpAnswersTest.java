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
}
