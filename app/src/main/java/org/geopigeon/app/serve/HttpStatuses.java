package org.geopigeon.app.serve;

import org.geopigeon.service.ImageProblem;
import org.geopigeon.service.store.ErrorCode;

/** HTTP status of a refused or failed geolocation request. */
final class HttpStatuses {

    private HttpStatuses() {
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_PURPOSE -> 422;
            case INVALID_TOP_K, INVALID_IMAGE_COUNT, INVALID_IMAGE, INVALID_REQUEST -> 400;
            case BUSY, CANCELLED, MODEL_UNAVAILABLE, STORE_FAILED -> 503;
            case INFERENCE_FAILED -> 500;
        };
    }

    /** A refused image: too big 413, not a supported type (or not the declared one) 415, otherwise 400. */
    static int of(ImageProblem problem) {
        return switch (problem) {
            case TOO_LARGE, TOO_MANY_PIXELS -> 413;
            case UNSUPPORTED_FORMAT, MEDIA_TYPE_MISMATCH -> 415;
            case MISSING, EMPTY, UNREADABLE, TOO_SMALL, TRUNCATED, CORRUPT -> 400;
        };
    }

    /**
     * The audit code of a request refused before it reached the geolocation service: problems with the
     * request envelope (size, media type, multipart syntax, origin, parameters) are INVALID_REQUEST, with
     * the exact problem in the audit row's parameters.
     */
    static ErrorCode auditCode(ApiException e) {
        return switch (e.code()) {
            case "INVALID_TOP_K" -> ErrorCode.INVALID_TOP_K;
            case "INVALID_IMAGE" -> ErrorCode.INVALID_IMAGE;
            default -> ErrorCode.INVALID_REQUEST;
        };
    }
}
