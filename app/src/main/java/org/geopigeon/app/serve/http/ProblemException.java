package org.geopigeon.app.serve.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by request handlers to answer with a {@link Problem}; the server's exception mapping writes it
 * (with {@link #headers()}, e.g. {@code Retry-After} or {@code WWW-Authenticate}).
 */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false); // an answer, not a bug: no stack trace needed
        this.problem = Objects.requireNonNull(problem, "problem");
        this.headers = Map.copyOf(headers);
    }

    /** A problem of our own type; see {@link Problem#of}. */
    public static ProblemException of(int status, String code, String detail) {
        return new ProblemException(Problem.of(status, code, detail));
    }

    /** The problem document the server answers with. */
    public Problem problem() {
        return problem;
    }

    /** Extra response headers (e.g. {@code Retry-After}, {@code WWW-Authenticate}); an immutable map. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A copy with one more response header (replacing one of the same name). */
    public ProblemException withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ProblemException(problem, h);
    }

    /** A copy whose problem carries the {@code audit_id} of the audit row that recorded the refusal. */
    public ProblemException withAuditId(Long id) {
        return new ProblemException(problem.withAuditId(id), headers);
    }
}
