package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the server agree: every route the server registers is described, and every
 * operation described is served. (Whether answers match the schemas is checked on every exchange of the API
 * tests, see {@link RunningService}.)
 */
class OpenApiCoverageTest {

    @Test
    void everyRouteIsDescribedAndEveryDescribedOperationIsServed() throws Exception {
        try (RunningService svc = RunningService.start("openapi", b -> b.echoProcess(true))) {
            Set<String> served = new TreeSet<>();
            svc.server.routes().forEach(r -> served.add(normalise(r)));
            Set<String> described = new TreeSet<>();
            JsonNode paths = svc.get("/api", null).json().get("paths");
            paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    described.add(normalise(method.toUpperCase() + " " + path));
                }
            }));
            assertEquals(described, served);
        }
    }

    /** Path parameters compared by position, not name. */
    private static String normalise(String route) {
        return route.replaceAll("\\{[^}]+}", "{}");
    }
}
