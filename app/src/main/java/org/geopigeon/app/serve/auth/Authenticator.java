package org.geopigeon.app.serve.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.geopigeon.service.store.StoreException;

/**
 * Identifies the caller of a request from its headers alone (before any body is read):
 * <ol>
 *   <li>{@code Authorization: Bearer <token>}: an API token from {@link ApiTokens};</li>
 *   <li>with {@code --trust-proxy-user}: the {@value #USER_HEADER} header an authenticating reverse proxy
 *       sets, with the role from {@value #ROLE_HEADER} or else the configured proxy role;</li>
 *   <li>with {@code --no-auth} (loopback only): the operating-system user of the server, as admin.</li>
 * </ol>
 * Without any of these the caller is unauthenticated.
 */
public final class Authenticator {

    public static final String USER_HEADER = "X-Remote-User";
    public static final String ROLE_HEADER = "X-Remote-Role";
    public static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final int MAX_HEADER_CHARS = 256;

    /** The result of {@link #authenticate}. */
    public sealed interface Outcome permits Authenticated, Missing, Invalid, Unavailable {
    }

    /** The caller is known. */
    public record Authenticated(Caller caller) implements Outcome {
    }

    /** No credentials were sent. */
    public record Missing() implements Outcome {
    }

    /**
     * Credentials were sent but are not valid; {@code reason} says why, for the 401 answer.
     *
     * @param tokenPrefix the public prefix of the token sent ({@link ApiTokens#publicPrefix}), or null
     */
    public record Invalid(String reason, String tokenPrefix) implements Outcome {
        public Invalid(String reason) {
            this(reason, null);
        }
    }

    /**
     * The token could not be checked (database unreachable).
     *
     * @param tokenPrefix the public prefix of the token sent ({@link ApiTokens#publicPrefix}), or null: what ties
     *                    the refusal to a caller without a secret
     */
    public record Unavailable(String reason, String tokenPrefix) implements Outcome {
        public Unavailable(String reason) {
            this(reason, null);
        }
    }

    private final AuthMode mode;
    private final ApiTokens tokens;
    private final boolean trustProxyUser;
    private final Role proxyRole;
    private final String osUser;

    /**
     * @param proxyRole role of proxy users whose proxy sends no {@value #ROLE_HEADER}
     * @param osUser    the operating-system user, the principal in {@link AuthMode#LOOPBACK_ONLY}
     */
    public Authenticator(AuthMode mode, ApiTokens tokens, boolean trustProxyUser, Role proxyRole, String osUser) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.trustProxyUser = trustProxyUser;
        this.proxyRole = Objects.requireNonNull(proxyRole, "proxyRole");
        this.osUser = osUser == null || osUser.isBlank() ? "unknown-os-user" : osUser;
    }

    /** Whether tokens are required or every caller is the server's operating-system user (loopback only). */
    public AuthMode mode() {
        return mode;
    }

    /**
     * @param header  request header lookup (case-insensitive names), returning null when absent
     * @param peer    the TCP peer address
     */
    public Outcome authenticate(UnaryOperator<String> header, String peer) {
        String forwardedFor = clean(header.apply(FORWARDED_FOR));
        String authorization = header.apply("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            String a = authorization.strip();
            if (!a.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return new Invalid("only 'Authorization: Bearer <API token>' is accepted (tokens come from"
                        + " 'geopigeon token create')");
            }
            String token = a.substring(7).strip();
            String prefix = ApiTokens.publicPrefix(token).orElse(null);
            Optional<TokenInfo> t;
            try {
                t = tokens.lookup(token);
            } catch (StoreException e) {
                return new Unavailable("the API token cannot be checked now: the database is unavailable", prefix);
            }
            if (t.isEmpty()) {
                return new Invalid("the bearer token is not a valid API token (unknown or revoked)", prefix);
            }
            return new Authenticated(new Caller(t.get().name(), t.get().role(), AuthMethod.TOKEN, peer, forwardedFor));
        }
        if (trustProxyUser) {
            String user = clean(header.apply(USER_HEADER));
            if (user != null) {
                String roleHeader = clean(header.apply(ROLE_HEADER));
                Role role = proxyRole;
                if (roleHeader != null) {
                    try {
                        role = Role.parse(roleHeader);
                    } catch (IllegalArgumentException e) {
                        return new Invalid(ROLE_HEADER + ": " + e.getMessage());
                    }
                }
                return new Authenticated(new Caller(user, role, AuthMethod.PROXY, peer, forwardedFor));
            }
        }
        if (mode == AuthMode.LOOPBACK_ONLY) {
            return new Authenticated(new Caller(osUser, Role.ADMIN, AuthMethod.LOOPBACK, peer, forwardedFor));
        }
        return new Missing();
    }

    /** Trims, drops control characters and caps the length, so a header cannot forge log lines. */
    static String clean(String v) {
        if (v == null) {
            return null;
        }
        String s = v.replaceAll("\\p{Cntrl}", "").strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > MAX_HEADER_CHARS ? s.substring(0, MAX_HEADER_CHARS) : s;
    }
}
