package org.geopigeon.app.serve.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.geopigeon.service.RequestContext;

/**
 * An authenticated caller.
 *
 * @param name          the principal recorded in every audit row and owning jobs (token name, proxy user
 *                      or operating-system user)
 * @param role          what the caller may do
 * @param method        how the caller was identified
 * @param clientAddress the TCP peer address (a proxy's address behind a proxy)
 * @param forwardedFor  the proxy's {@code X-Forwarded-For}, recorded beside the peer address, or null
 */
public record Caller(String name, Role role, AuthMethod method, String clientAddress, String forwardedFor) {

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(method, "method");
    }

    /** Whether the caller's role grants {@code p} ({@link Role#can}). */
    public boolean can(Permission p) {
        return role.can(p);
    }

    /** Who asks, for the audited geolocation service. */
    public RequestContext context() {
        return new RequestContext(name, clientAddress);
    }

    /** The audit row parameters that say how the caller was identified: auth, role, forwarded_for. */
    public Map<String, Object> auditParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("auth", method.id());
        p.put("role", role.id());
        if (forwardedFor != null) {
            p.put("forwarded_for", forwardedFor);
        }
        return p;
    }
}
