package org.geopigeon.app.serve;

/**
 * A request the service answers with an HTTP error and a JSON body {@code {error, code, message}}.
 *
 * @see Response#error(int, String, String)
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    /** Machine-readable code, e.g. {@code INVALID_IMAGE}, {@code NOT_FOUND}. */
    String code() {
        return code;
    }
}
