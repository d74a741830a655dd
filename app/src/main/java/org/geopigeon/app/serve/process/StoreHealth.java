package org.geopigeon.app.serve.process;

/** What the service knows about its database, for {@code Retry-After} after a failed write. */
public interface StoreHealth {

    /** A write failed: re-check the database now. */
    void storeFailed();

    /** Seconds after which a retry may find the database writable again. */
    int retryAfterSeconds();
}
