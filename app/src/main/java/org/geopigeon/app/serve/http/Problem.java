package org.geopigeon.app.serve.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Objects;

/**
 * An error answer as RFC 7807 problem details, the exception document of OGC API - Processes - Part 1
 * (OGC 18-062r2, clause 7.6 and schema {@code exception.yaml}: {@code type} required, {@code title},
 * {@code status}, {@code detail}, {@code instance}; extra members allowed).
 *
 * <p>Two extension members keep the old API's machine-readable fields: {@code code} (e.g.
 * {@code INVALID_IMAGE}, also stored in the audit row) and {@code audit_id} (the audit row that recorded
 * a refused geolocation request).
 *
 * @param type    problem type URI: an OGC exception type where the standard defines one (see
 *                {@link ProblemTypes}), else a {@code urn:geopigeon:problem:...} URN
 * @param title   short summary of the type (the HTTP reason phrase or the OGC title)
 * @param status  HTTP status code
 * @param detail  what exactly went wrong with this request, naming the input and the problem; never a
 *                stack trace, SQL or a Java class name
 * @param instance the request path, or null
 * @param code    machine-readable code, or null
 * @param auditId the audit row of a refused geolocation request, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String code,
                      @JsonProperty("audit_id") Long auditId) {

    public Problem {
        Objects.requireNonNull(type, "type");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, got " + status);
        }
    }

    /** A problem of one of our own types: {@code urn:geopigeon:problem:} plus the code in kebab case. */
    public static Problem of(int status, String code, String detail) {
        return new Problem(ProblemTypes.ours(code), ProblemTypes.title(status), status, detail, null, code, null);
    }

    /** This problem with {@code instance} set to the request path (RFC 7807 section 3.1). */
    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, code, auditId);
    }

    /** This problem with the {@code audit_id} of the audit row that recorded the refusal (null: none). */
    public Problem withAuditId(Long id) {
        return new Problem(type, title, status, detail, instance, code, id);
    }

    /** This problem with another {@code detail} (a client-safe sentence naming the input and the problem). */
    public Problem withDetail(String text) {
        return new Problem(type, title, status, text, instance, code, auditId);
    }

    /** The media type of a problem answer for an {@code Accept} header: see {@link #PROBLEM_JSON}. */
    public static String mediaTypeFor(String accept) {
        if (accept == null || accept.isBlank()) {
            return PROBLEM_JSON;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        // A client that lists application/json but neither the problem type nor a wildcard gets the same
        // document labelled application/json (OGC's executable test suite asks exactly that).
        if (a.contains("application/json") && !a.contains("problem+json") && !a.contains("*/*")
                && !a.contains("application/*")) {
            return JsonBodies.JSON;
        }
        return PROBLEM_JSON;
    }

    /** RFC 7807 media type. */
    public static final String PROBLEM_JSON = "application/problem+json";
}
