package org.geopigeon.service;

/**
 * Who asks, from where.
 *
 * @param principal     authenticated user name, or "anonymous"
 * @param clientAddress remote address, or null when unknown (local CLI)
 */
public record RequestContext(String principal, String clientAddress) {

    public RequestContext {
        principal = principal == null || principal.isBlank() ? "anonymous" : principal;
    }

    /** The local OS user, for the command line. */
    public static RequestContext localUser() {
        return new RequestContext(System.getProperty("user.name"), "local");
    }
}
