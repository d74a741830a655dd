package org.geopigeon.service;

import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Outcome;

/** A request that was refused or failed. No result was returned; an audit row was written when possible. */
public class GeolocationException extends RuntimeException {

    private final ErrorCode code;
    private final Long auditId;

    public GeolocationException(ErrorCode code, String message, Throwable cause, Long auditId) {
        super(message, cause);
        this.code = code;
        this.auditId = auditId;
    }

    public ErrorCode code() {
        return code;
    }

    public Outcome outcome() {
        return code.outcome();
    }

    /** Id of the audit row recording this refusal or failure, or null when it could not be written. */
    public Long auditId() {
        return auditId;
    }
}
