package org.geopigeon.app.serve.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request line or {@code Content-Length}, headers too large, a body
 * over the limit, a timeout) as JSON problem details instead of Jetty's HTML page. Jetty's reason phrase
 * becomes the detail; a Java exception's text never does.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private final JsonBodies json;

    public ProblemErrorHandler(JsonBodies json) {
        this.json = json;
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
        Problem p = Problem.of(status, code(status), detail(status, message, cause))
                .withInstance(request.getHttpURI() == null ? null : request.getHttpURI().getPath());
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.mediaTypeFor(request.getHeaders().get(HttpHeader.ACCEPT)));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.bytes(p)), callback);
        return true;
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "SERVER_ERROR" : "BAD_REQUEST";
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
