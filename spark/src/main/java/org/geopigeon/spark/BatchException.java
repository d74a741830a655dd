package org.geopigeon.spark;

/** A batch job that cannot start or finish, with a message for the user (no stack trace needed). */
public class BatchException extends RuntimeException {

    /** @param message what went wrong and what to do, for the user */
    public BatchException(String message) {
        super(message);
    }

    /** @param message what went wrong and what to do, for the user; the cause stays in the log */
    public BatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
