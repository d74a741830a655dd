package org.geopigeon.app.serve.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.geopigeon.app.serve.auth.Authenticator;
import org.geopigeon.app.serve.auth.Caller;

/**
 * The front gate, run for every request from its headers alone, before any body byte is read:
 * <ol>
 *   <li>without authentication (loopback only) the {@code Host} must name this machine, so a web page cannot
 *       reach the service through DNS rebinding;</li>
 *   <li>a browser request that changes state ({@code POST}, {@code DELETE}) from a page of another origin is
 *       refused (403), so a page elsewhere cannot submit photos with a visitor's credentials;</li>
 *   <li>the caller is identified ({@link Authenticator}); protected routes answer 401 without one;</li>
 *   <li>a body over the limit is refused with 413 from its {@code Content-Length}, and bodies are admitted
 *       only while they fit the memory budget ({@link UploadBudget}: 503 with {@code Retry-After});</li>
 *   <li>an upload must keep a minimum average rate ({@link MinimumUploadRate}).</li>
 * </ol>
 * Refused geolocation requests are audited ({@link Refusals}). When a refusal leaves a body unread, the
 * answer is sent first and the body is then read and discarded (up to a bound), so clients that send the
 * whole body before reading (Python's http.client, for one) see the answer instead of a reset connection.
 */
public final class AccessGate extends Handler.Wrapper {

    /** Audits a refusal of an audited route; returns the problem with its audit id. */
    @FunctionalInterface
    public interface Refusals {
        /**
         * @param caller null when not authenticated
         * @param extra  more audit parameters, e.g. {@code claimed_token_prefix}
         */
        ProblemException record(ProblemException refusal, Caller caller, String peer, String path,
                                Map<String, Object> extra);

        /** As {@link #record(ProblemException, Caller, String, String, Map)} with no extra audit parameters. */
        default ProblemException record(ProblemException refusal, Caller caller, String peer, String path) {
            return record(refusal, caller, peer, path, Map.of());
        }
    }

    /**
     * Audit parameter naming the public prefix of a token that could not be verified (unknown, revoked, or the
     * database was down): it ties the row to a token listed by {@code geopigeon token list} without a secret.
     */
    public static final String CLAIMED_TOKEN_PREFIX = "claimed_token_prefix";

    /** Request attribute set once a refusal of the request has been audited, so it is audited once. */
    public static final String AUDITED = "geopigeon.audited";

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Authenticator authenticator;
    private final Predicate<Request> isPublic;
    private final Predicate<String> isUpload;
    private final Predicate<String> isAudited;
    private final UploadBudget budget;
    private final long maxUploadBody;
    private final long maxImageBytes;
    private final long maxOtherBody;
    private final long maxDrainBytes;
    private final Refusals refusals;
    private final IntSupplier busyRetryAfter;
    private final JsonBodies json;
    private final boolean requireLoopbackHost;
    private final long minUploadRate;
    private final long rateGraceNanos;

    /**
     * @param isPublic        routes open without credentials (discovery documents, health, viewer files)
     * @param isUpload        paths whose POST carries an image upload (execution, the old locate)
     * @param isAudited       paths whose requests must each leave an audit row
     * @param maxUploadBody   largest upload body in bytes
     * @param maxImageBytes   most image bytes per request (named in the 413 answer)
     * @param maxOtherBody    largest body of any other request
     * @param maxDrainBytes   most bytes read and discarded after a refusal before the connection is closed
     * @param busyRetryAfter  seconds to suggest when the memory budget is full
     * @param requireLoopbackHost the server runs without authentication on loopback
     * @param minUploadRate   slowest accepted average upload rate in bytes per second (0: none)
     * @param rateGrace       time before the rate is first judged
     */
    public AccessGate(Authenticator authenticator, Predicate<Request> isPublic, Predicate<String> isUpload,
                      Predicate<String> isAudited, UploadBudget budget, long maxUploadBody, long maxImageBytes, long maxOtherBody,
                      long maxDrainBytes, Refusals refusals, IntSupplier busyRetryAfter, JsonBodies json,
                      boolean requireLoopbackHost, long minUploadRate, java.time.Duration rateGrace) {
        this.authenticator = authenticator;
        this.isPublic = isPublic;
        this.isUpload = isUpload;
        this.isAudited = isAudited;
        this.budget = budget;
        this.maxUploadBody = maxUploadBody;
        this.maxImageBytes = maxImageBytes;
        this.maxOtherBody = maxOtherBody;
        this.maxDrainBytes = maxDrainBytes;
        this.refusals = refusals;
        this.busyRetryAfter = busyRetryAfter;
        this.json = json;
        this.requireLoopbackHost = requireLoopbackHost;
        this.minUploadRate = minUploadRate;
        this.rateGraceNanos = rateGrace.toNanos();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String peer = Request.getRemoteAddr(request);
        boolean upload = "POST".equals(method) && isUpload.test(path);
        boolean audited = upload && isAudited.test(path);

        if (requireLoopbackHost && !loopbackHost(request.getHeaders().get(HttpHeader.HOST))) {
            return refuse(request, response, callback, ProblemException.of(421, "MISDIRECTED_REQUEST", "this server"
                    + " runs without authentication and answers only requests addressed to localhost, not to '"
                    + request.getHeaders().get(HttpHeader.HOST) + "'"), null, peer, audited);
        }
        Caller caller = null;
        Authenticator.Outcome outcome = authenticator.authenticate(name -> request.getHeaders().get(name), peer);
        if (outcome instanceof Authenticator.Authenticated a) {
            caller = a.caller();
            request.setAttribute(RequestInfo.CALLER, caller);
        } else if (!isPublic.test(request)) {
            ProblemException p;
            String claimed = null;
            if (outcome instanceof Authenticator.Invalid i) {
                p = unauthenticated(i.reason());
                claimed = i.tokenPrefix();
            } else if (outcome instanceof Authenticator.Unavailable u) {
                p = ProblemException.of(503, "AUTH_UNAVAILABLE", u.reason()).withHeader("Retry-After", "10");
                claimed = u.tokenPrefix();
            } else {
                p = unauthenticated("this resource needs an API token: send 'Authorization: Bearer <token>'"
                        + " (an administrator creates tokens with 'geopigeon token create')");
            }
            return refuse(request, response, callback, p, null, peer, audited,
                    claimed == null ? Map.of() : Map.of(CLAIMED_TOKEN_PREFIX, claimed));
        }
        if (STATE_CHANGING.contains(method) && crossOrigin(request)) {
            return refuse(request, response, callback, ProblemException.of(403, "CROSS_ORIGIN", "request from the"
                    + " page of origin '" + request.getHeaders().get(HttpHeader.ORIGIN) + "' refused: state-changing"
                    + " requests are accepted from this service's own pages and from non-browser clients"), caller,
                    peer, audited);
        }
        long declared = request.getLength();
        boolean hasBody = hasBody(request);
        long limit = upload ? maxUploadBody : maxOtherBody;
        if (declared > limit) {
            return refuse(request, response, callback, ProblemException.of(413, "TOO_LARGE", "the request body is "
                    + declared + " bytes; the limit is " + limit + " bytes" + (upload ? " (" + mib(limit)
                    + " MiB: images up to " + mib(maxImageBytes) + " MiB, base64 in JSON grows them by 4/3;"
                    + " see docs/service.md)" : "")), caller, peer, audited);
        }
        long reserve = upload && hasBody ? (declared >= 0 ? declared : maxUploadBody) : 0;
        if (reserve > 0 && !budget.tryReserve(reserve)) {
            int retry = busyRetryAfter.getAsInt();
            return refuse(request, response, callback, ProblemException.of(503, "BUSY", "the uploads in progress"
                    + " fill the server's upload memory (" + mib(budget.maxBytes()) + " MiB); try again in " + retry
                    + " s").withHeader("Retry-After", String.valueOf(retry)), caller, peer, audited);
        }
        Request checked = request;
        Callback done = reserve == 0 ? callback : Callback.from(callback, () -> budget.release(reserve));
        if (minUploadRate > 0 && hasBody) {
            MinimumUploadRate rate = new MinimumUploadRate(request, minUploadRate, rateGraceNanos,
                    request.getComponents().getScheduler());
            checked = rate;
            done = Callback.from(done, rate::finish);
        }
        try {
            return super.handle(checked, response, done);
        } catch (Throwable t) {
            if (reserve > 0) {
                budget.release(reserve);
            }
            throw t;
        }
    }

    private static ProblemException unauthenticated(String detail) {
        return ProblemException.of(401, "UNAUTHENTICATED", detail)
                .withHeader("WWW-Authenticate", "Bearer realm=\"geopigeon\"");
    }

    /**
     * Answers a refusal (audited when {@code audited}), then drains an unread body: see the class comment.
     */
    private boolean refuse(Request request, Response response, Callback callback, ProblemException refusal,
                           Caller caller, String peer, boolean audited) {
        return refuse(request, response, callback, refusal, caller, peer, audited, Map.of());
    }

    private boolean refuse(Request request, Response response, Callback callback, ProblemException refusal,
                           Caller caller, String peer, boolean audited, Map<String, Object> extra) {
        ProblemException p = refusal;
        if (audited) {
            request.setAttribute(AUDITED, Boolean.TRUE);
            p = refusals.record(refusal, caller, peer, Request.getPathInContext(request), extra);
        }
        boolean bodyPending = hasBody(request) && !expectsContinue(request);
        response.setStatus(p.problem().status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.mediaTypeFor(request.getHeaders().get(HttpHeader.ACCEPT)));
        p.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (bodyPending) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        byte[] body = json.bytes(p.problem().withInstance(Request.getPathInContext(request)));
        response.write(true, ByteBuffer.wrap(body), bodyPending
                ? Callback.from(() -> drain(request, callback), callback::failed) : callback);
        return true;
    }

    /** Reads and discards the rest of the body without holding a thread, then completes. */
    private void drain(Request request, Callback done) {
        new Runnable() {
            private long left = maxDrainBytes;

            @Override
            public void run() {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
                    left -= chunk.remaining();
                    chunk.release();
                    if (last || left < 0) {
                        done.succeeded();
                        return;
                    }
                }
            }
        }.run();
    }

    /** A declared length above zero, or a chunked body. */
    private static boolean hasBody(Request request) {
        if (request.getLength() > 0) {
            return true;
        }
        String te = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static boolean expectsContinue(Request request) {
        String e = request.getHeaders().get(HttpHeader.EXPECT);
        return e != null && e.toLowerCase(Locale.ROOT).contains("100-continue");
    }

    /** A browser's Origin that is not this server's Host (or a proxy's X-Forwarded-Host). */
    private static boolean crossOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (origin == null || host == null) {
            return false;
        }
        String forwardedHost = request.getHeaders().get("X-Forwarded-Host");
        try {
            URI u = URI.create(origin.trim());
            String originHost = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return originHost == null || !originHost.equalsIgnoreCase(host.trim())
                    && (forwardedHost == null || !originHost.equalsIgnoreCase(forwardedHost.trim()));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else if (h.contains(":")) {
            h = h.substring(0, h.indexOf(':'));
        }
        return LOOPBACK_HOSTS.contains(h);
    }

    private static long mib(long bytes) {
        return Math.round(bytes / 1048576.0);
    }

    /** Parameters of an audited refusal made by the gate. */
    public static Map<String, Object> auditParameters(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interface", path.startsWith("/api/v1/") ? "http" : "ogcapi");
        return m;
    }
}
