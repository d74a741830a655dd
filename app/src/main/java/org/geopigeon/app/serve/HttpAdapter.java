package org.geopigeon.app.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.geopigeon.service.Incidents;

/**
 * Adapts an {@link Endpoint} to the JDK server: checks the method, turns exceptions into JSON errors,
 * adds the security headers every answer carries and gzips large text bodies.
 */
final class HttpAdapter implements HttpHandler {

    /** Same-origin only: the viewer loads nothing from elsewhere, and nothing may frame it. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final int GZIP_MIN_BYTES = 1024;

    private final Set<String> methods;
    private final Endpoint endpoint;
    private final PrintStream log;

    HttpAdapter(Set<String> methods, Endpoint endpoint, PrintStream log) {
        this.methods = Set.copyOf(methods);
        this.endpoint = endpoint;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response r;
            try {
                if (!methods.contains(exchange.getRequestMethod())) {
                    r = Response.error(405, "METHOD_NOT_ALLOWED", exchange.getRequestMethod() + " is not allowed on "
                            + exchange.getRequestURI().getPath() + "; use " + String.join(" or ", methods))
                            .withHeader("Allow", String.join(", ", methods));
                } else {
                    r = endpoint.handle(exchange);
                }
            } catch (ApiException e) {
                r = Response.error(e.status(), e.code(), e.getMessage());
            } catch (IOException e) {
                // The client went away or sent a broken stream; nobody is left to read an answer.
                log.println("geopigeon serve: " + exchange.getRequestURI().getPath() + ": I/O error: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                // The detail (exception, stack) goes to the log; the client gets an id to quote, not the exception.
                String incident = Incidents.newId();
                log.println("geopigeon serve: " + exchange.getRequestURI().getPath() + ": internal error, incident "
                        + incident);
                e.printStackTrace(log);
                r = Response.error(500, "INTERNAL_ERROR", "internal error (incident " + incident
                        + "; the server log has the details)");
            }
            send(exchange, r);
        }
    }

    private static void send(HttpExchange exchange, Response r) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", CSP);
        h.set("Cache-Control", "no-store");
        for (Map.Entry<String, String> e : r.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        byte[] body = r.body();
        if (body.length >= GZIP_MIN_BYTES && acceptsGzip(exchange)) {
            body = gzip(body);
            h.set("Content-Encoding", "gzip");
            h.set("Vary", "Accept-Encoding");
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(r.status(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static boolean acceptsGzip(HttpExchange exchange) {
        String ae = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        return ae != null && ae.toLowerCase(Locale.ROOT).contains("gzip");
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(body);
        }
        return bytes.toByteArray();
    }
}
