package org.geopigeon.service.store;

/** Machine-readable reason of a refused or failed request, stored in {@code audit_log.error_code}. */
public enum ErrorCode {
    INVALID_PURPOSE(Outcome.REFUSED),
    INVALID_TOP_K(Outcome.REFUSED),
    INVALID_IMAGE_COUNT(Outcome.REFUSED),
    INVALID_IMAGE(Outcome.REFUSED),
    /** The request asked for a backbone precision the server cannot answer in (missing variant, hardware, policy). */
    INVALID_PRECISION(Outcome.REFUSED),
    /** The request envelope was unusable (size, media type, multipart syntax, origin, parameters). */
    INVALID_REQUEST(Outcome.REFUSED),
    /** All inference slots stayed busy for the configured wait. */
    BUSY(Outcome.REFUSED),
    CANCELLED(Outcome.FAILED),
    MODEL_UNAVAILABLE(Outcome.FAILED),
    INFERENCE_FAILED(Outcome.FAILED),
    /** The prediction or its audit row could not be written; nothing was returned (fail closed). */
    STORE_FAILED(Outcome.FAILED),

    // Refusals of the HTTP front ends before the request reaches the service, audited with the code the client
    // sees in its answer (docs/service.md, "Errors"), so an auditor can filter e.g. failed logins.
    /** No, an unknown or a revoked credential (HTTP 401). */
    UNAUTHENTICATED(Outcome.REFUSED),
    /** The caller's role may not do this (HTTP 403). */
    FORBIDDEN(Outcome.REFUSED),
    /** A state-changing browser request from a page of another origin (HTTP 403). */
    CROSS_ORIGIN(Outcome.REFUSED),
    /** A server without authentication addressed by another name than localhost (HTTP 421, DNS rebinding). */
    MISDIRECTED_REQUEST(Outcome.REFUSED),
    /** The request body is over the limit (HTTP 413). */
    TOO_LARGE(Outcome.REFUSED),
    /** The request body is not of an accepted media type (HTTP 415). */
    UNSUPPORTED_MEDIA_TYPE(Outcome.REFUSED),
    /** The request body is not well-formed JSON. */
    INVALID_JSON(Outcome.REFUSED),
    /** A request member or input other than image, purpose and topK is unknown or malformed. */
    INVALID_PARAMETER(Outcome.REFUSED),
    /** A multipart/form-data body that cannot be parsed. */
    INVALID_MULTIPART(Outcome.REFUSED),
    /** An input by reference to a host the administrator did not allow (server-side request forgery). */
    HREF_NOT_ALLOWED(Outcome.REFUSED),
    /** An input by reference could not be fetched. */
    HREF_FAILED(Outcome.REFUSED),
    /** The request arrived slower than the minimum rate (HTTP 408). */
    REQUEST_TIMEOUT(Outcome.REFUSED),
    /** The request headers are over the limit (HTTP 431). */
    HEADERS_TOO_LARGE(Outcome.REFUSED),
    /** The credentials could not be checked: the token store is unavailable (HTTP 503). */
    AUTH_UNAVAILABLE(Outcome.FAILED),
    /** The front end failed to answer (HTTP 500); the server log holds the incident. */
    SERVER_ERROR(Outcome.FAILED);

    private final Outcome outcome;

    ErrorCode(Outcome outcome) {
        this.outcome = outcome;
    }

    /** The audit outcome this error is recorded with. */
    public Outcome outcome() {
        return outcome;
    }
}
