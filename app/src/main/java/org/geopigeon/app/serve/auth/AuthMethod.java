package org.geopigeon.app.serve.auth;

import java.util.Locale;

/** How a caller was identified; recorded in the audit row's parameters as {@code auth}. */
public enum AuthMethod {
    /** {@code Authorization: Bearer} with an API token from {@code geopigeon token create}. */
    TOKEN,
    /** The {@code X-Remote-User} header of a trusted authenticating reverse proxy. */
    PROXY,
    /** No authentication (allowed only when bound to loopback): the operating-system user of the server. */
    LOOPBACK;

    /** The lower-case name recorded in audit rows as {@code auth} ({@code token}, {@code proxy}, {@code loopback}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
