package org.geopigeon.app.serve.process;

import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.service.store.ErrorCode;

/**
 * A geolocation that was refused or failed; no result exists. An audit row was written when
 * {@link #auditId()} is not null.
 */
public final class GeolocationFailure extends RuntimeException {

    private final ErrorCode code;
    private final Long auditId;
    private final ImageRejectedException.Reason imageReason;
    private final Integer retryAfterSeconds;

    /**
     * @param imageReason why the decoder rejected an image (for the precise HTTP status), or null
     * @param retryAfterSeconds when trying again may succeed (busy, database down), or null
     */
    public GeolocationFailure(ErrorCode code, String message, Long auditId, ImageRejectedException.Reason imageReason,
                              Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.auditId = auditId;
        this.imageReason = imageReason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public Long auditId() {
        return auditId;
    }

    public ImageRejectedException.Reason imageReason() {
        return imageReason;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
