package org.geopigeon.app.serve.http;

import io.javalin.http.Context;
import org.geopigeon.app.serve.auth.Caller;

/**
 * What the front gate ({@link AccessGate}) learned about a request, passed to the route handlers as
 * request attributes, and the absolute base URL links are built from.
 */
public final class RequestInfo {

    /** Request attribute holding the authenticated {@link Caller} (absent on public routes without credentials). */
    public static final String CALLER = "geopigeon.caller";

    private final String publicUrl;

    /** @param publicUrl the URL clients reach the service at ({@code --public-url}), or null to use the Host header */
    public RequestInfo(String publicUrl) {
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    }

    /** The caller, or null on a public route without credentials. */
    public static Caller callerOrNull(Context ctx) {
        Object c = ctx.attribute(CALLER);
        return c instanceof Caller caller ? caller : null;
    }

    /** The caller; the gate guarantees one on every protected route. */
    public static Caller caller(Context ctx) {
        Caller c = callerOrNull(ctx);
        if (c == null) {
            throw new ProblemException(Problem.of(401, "UNAUTHENTICATED", "this resource needs an API token:"
                    + " send Authorization: Bearer <token>"), java.util.Map.of("WWW-Authenticate",
                    "Bearer realm=\"geopigeon\""));
        }
        return c;
    }

    /** {@code https://host:port} without a trailing slash: links and Location headers are absolute. */
    public String base(Context ctx) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String host = ctx.host();
        if (host == null || host.isBlank()) {
            host = ctx.req().getLocalAddr() + ":" + ctx.req().getLocalPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
