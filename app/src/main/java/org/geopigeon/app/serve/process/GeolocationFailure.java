package org.geopigeon.app.serve.process;

import org.geopigeon.service.ImageProblem;
import org.geopigeon.service.store.ErrorCode;

/**
 * A geolocation that was refused or failed; no result exists. An audit row was written when
 * {@link #auditId()} is not null.
 */
public final class GeolocationFailure extends RuntimeException {

    private final ErrorCode code;
    private final Long auditId;
    private final ImageProblem imageProblem;
    private final Integer retryAfterSeconds;

    /**
     * @param imageProblem what was wrong with an image (for the precise HTTP status), or null
     * @param retryAfterSeconds when trying again may succeed (busy, database down), or null
     */
    public GeolocationFailure(ErrorCode code, String message, Long auditId, ImageProblem imageProblem,
                              Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.auditId = auditId;
        this.imageProblem = imageProblem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The machine-readable code (also in the audit row and the problem document's {@code code}). */
    public ErrorCode code() {
        return code;
    }

    /** The audit row that recorded the refusal or failure; null when none could be written. */
    public Long auditId() {
        return auditId;
    }

    /** What was wrong with an image (for the precise HTTP status), or null when the failure is not an image's. */
    public ImageProblem imageProblem() {
        return imageProblem;
    }

    /**
     * Seconds after which trying again may succeed (busy, database down), for {@code Retry-After}; null: do not retry.
     */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
