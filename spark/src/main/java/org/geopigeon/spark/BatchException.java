package org.geopigeon.spark;

/** A batch job that cannot start or finish, with a message for the user (no stack trace needed). */
public class BatchException extends RuntimeException {

    public BatchException(String message) {
        super(message);
    }

    public BatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
