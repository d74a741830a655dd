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
    STORE_FAILED(Outcome.FAILED);

    private final Outcome outcome;

    ErrorCode(Outcome outcome) {
        this.outcome = outcome;
    }

    /** The audit outcome this error is recorded with. */
    public Outcome outcome() {
        return outcome;
    }
}
