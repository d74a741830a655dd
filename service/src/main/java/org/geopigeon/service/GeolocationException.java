package org.geopigeon.service;

import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Outcome;

/**
 * A request that was refused or failed; no result was returned. The message is meant for the client: it
 * names the problem and never carries SQL, stack traces or Java class names. Server-side failures carry an
 * incident id that is also in the server log, next to the detail.
 */
public class GeolocationException extends RuntimeException {

    private final ErrorCode code;
    private final Long auditId;
    private final ImageProblem imageProblem;
    private final String incidentId;

    public GeolocationException(ErrorCode code, String message, Throwable cause, Long auditId) {
        this(code, message, cause, auditId, null, null);
    }

    /**
     * @param imageProblem what was wrong with an image, or null when the request failed for another reason
     * @param incidentId   id of the server-log entry with the detail, or null when there is none
     */
    public GeolocationException(ErrorCode code, String message, Throwable cause, Long auditId,
                                ImageProblem imageProblem, String incidentId) {
        super(message, cause);
        this.code = code;
        this.auditId = auditId;
        this.imageProblem = imageProblem;
        this.incidentId = incidentId;
    }

    /** The audit error code: stored in the audit row, mapped by front ends to a status (HTTP, WPS, exit code). */
    public ErrorCode code() {
        return code;
    }

    /** Refused (bad input, no capacity) or failed (model, inference, database), as the audit row records it. */
    public Outcome outcome() {
        return code.outcome();
    }

    /** Id of the audit row recording this refusal or failure, or null when it could not be written. */
    public Long auditId() {
        return auditId;
    }

    /** What was wrong with an image (for INVALID_IMAGE), else null. */
    public ImageProblem imageProblem() {
        return imageProblem;
    }

    /** Id under which the server log has the detail of a server-side failure, else null. */
    public String incidentId() {
        return incidentId;
    }
}
