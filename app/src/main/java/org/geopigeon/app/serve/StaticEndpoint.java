package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The map viewer: {@code index.html}, {@code viewer.js} and {@code viewer.css} from this package's
 * {@code www/} resources, read once. Anything else under {@code /} is a JSON 404.
 */
final class StaticEndpoint implements Endpoint {

    static final String RESOURCE_DIR = "www/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/viewer.js", "viewer.js",
            "/viewer.css", "viewer.css");

    private final Map<String, Response> responses;

    StaticEndpoint() {
        this.responses = Map.of(
                "index.html", load("index.html", "text/html; charset=utf-8"),
                "viewer.js", load("viewer.js", "text/javascript; charset=utf-8"),
                "viewer.css", load("viewer.css", "text/css; charset=utf-8"));
    }

    @Override
    public Response handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String file = FILES.get(path);
        if (file == null) {
            throw new ApiException(404, "NOT_FOUND", "no such page: " + path + " (the viewer is at /, the API under"
                    + " /api/v1/)");
        }
        return responses.get(file);
    }

    private static Response load(String name, String contentType) {
        try (InputStream in = StaticEndpoint.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("viewer file " + RESOURCE_DIR + name + " is missing from the jar");
            }
            // Revalidate on every load, so an upgraded server never runs with yesterday's script.
            return new Response(200, contentType, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read viewer file " + name, e);
        }
    }
}
