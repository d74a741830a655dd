package org.geopigeon.app.serve.http;

import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;

/**
 * Turns a failure Jetty raised while a request body was read (a chunked body over the limit from
 * {@code SizeLimitHandler}, broken chunked encoding, a multipart part over its limit, a timeout) into the
 * problem the client gets, in user terms: Jetty's exceptions carry an HTTP status ({@link HttpException}) and a
 * reason meant for logs, which never reaches the client.
 *
 * @param maxUploadBody largest upload body in bytes (named in the 413)
 * @param maxImageBytes most image bytes per request (named in the 413)
 */
public record BodyFailures(long maxUploadBody, long maxImageBytes) {

    /**
     * The problem for {@code failure} when it (or one of its causes) is an HTTP-layer failure; empty for anything
     * else (a bug, answered as 500 with an incident id).
     */
    public Optional<ProblemException> problem(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ProblemException p) {
                return Optional.of(p);
            }
            if (t instanceof HttpException http) {
                return Optional.of(forStatus(http.getCode()));
            }
            if (t instanceof TimeoutException) {
                return Optional.of(forStatus(408));
            }
        }
        return Optional.empty();
    }

    /** The problem for an HTTP-layer refusal of a request body with {@code status}. */
    public ProblemException forStatus(int status) {
        return switch (status) {
            case 413 -> ProblemException.of(413, "TOO_LARGE", tooLarge("the request body is larger than the limit of "
                    + maxUploadBody + " bytes"));
            case 408 -> ProblemException.of(408, "REQUEST_TIMEOUT", "the request body arrived too slowly and was cut"
                    + " off (see the minimum upload rate in docs/service.md)");
            case 415 -> ProblemException.of(415, "UNSUPPORTED_MEDIA_TYPE", "the request body's media type is not"
                    + " accepted here");
            default -> ProblemException.of(400, "INVALID_REQUEST", "the request body is malformed: it ended early or"
                    + " its chunked transfer encoding or multipart framing is broken");
        };
    }

    /** {@code lead} plus what the limit means for images (base64 in JSON grows them by 4/3). */
    public String tooLarge(String lead) {
        return lead + " (" + mib(maxUploadBody) + " MiB: images up to " + mib(maxImageBytes) + " MiB, base64 in JSON"
                + " grows them by 4/3; see docs/service.md)";
    }

    private static long mib(long bytes) {
        return Math.round(bytes / 1048576.0);
    }
}
