package org.geopigeon.app.serve.http;

import java.nio.ByteBuffer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.geopigeon.app.serve.auth.Caller;

/**
 * Jetty's own error answers (a malformed request line or {@code Content-Length}, headers too large, a body
 * over the limit, a timeout) as JSON problem details instead of Jetty's HTML page. Jetty's reason phrase
 * becomes the detail; a Java exception's text never does. A refused request to an audited path (a geolocation
 * request) is audited here like every other refusal, with the code the client gets, once.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private final JsonBodies json;
    private final Predicate<String> isAudited;
    private final AccessGate.Refusals refusals;
    private final BodyFailures bodyFailures;

    /** Answers without auditing. */
    public ProblemErrorHandler(JsonBodies json) {
        this(json, path -> false, null, null);
    }

    /**
     * @param isAudited    paths whose POST requests must each leave an audit row
     * @param refusals     records a refusal of such a request
     * @param bodyFailures the wording of body-limit refusals; null for Jetty's reason
     */
    public ProblemErrorHandler(JsonBodies json, Predicate<String> isAudited, AccessGate.Refusals refusals,
                               BodyFailures bodyFailures) {
        this.json = json;
        this.isAudited = isAudited;
        this.refusals = refusals;
        this.bodyFailures = bodyFailures;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            if (message == null) {
                message = http.getReason();
            }
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        ProblemException refusal = status == 413 && bodyFailures != null ? bodyFailures.forStatus(413)
                : ProblemException.of(status, code(status), detail(status, message, cause));
        if (refusals != null && path != null && "POST".equals(request.getMethod()) && isAudited.test(path)
                && request.getAttribute(AccessGate.AUDITED) == null) {
            request.setAttribute(AccessGate.AUDITED, Boolean.TRUE);
            Object caller = request.getAttribute(RequestInfo.CALLER);
            refusal = refusals.record(refusal, caller instanceof Caller c ? c : null, Request.getRemoteAddr(request),
                    path);
        }
        Problem p = refusal.problem().withInstance(path);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.mediaTypeFor(request.getHeaders().get(HttpHeader.ACCEPT)));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.bytes(p)), callback);
        return true;
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "INVALID_REQUEST";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "SERVER_ERROR" : "INVALID_REQUEST";
        };
    }

    /** The HTTP layer's reason, never an exception's class name or stack. */
    private static String detail(int status, String message, Throwable cause) {
        String m = message;
        if (m == null || cause != null && m.equals(cause.toString()) || m.matches(".*\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*.*")) {
            m = HttpStatus.getMessage(status);
        }
        return switch (status) {
            case 400 -> "the HTTP request is malformed: " + m;
            case 408 -> "the request did not arrive in time: " + m;
            case 413 -> "the request body is too large: " + m;
            case 431 -> "the request headers are too large: " + m;
            default -> m;
        };
    }
}
