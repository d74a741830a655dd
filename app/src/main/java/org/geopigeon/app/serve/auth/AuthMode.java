package org.geopigeon.app.serve.auth;

/** Whether the service authenticates its callers. */
public enum AuthMode {
    /** The default: API tokens (and the trusted proxy's user header when enabled). */
    REQUIRED,
    /**
     * {@code --no-auth}: every caller acts as the operating-system user running the server, with the admin
     * role. Allowed only when the server listens on a loopback address (checked by {@code serve}).
     */
    LOOPBACK_ONLY
}
