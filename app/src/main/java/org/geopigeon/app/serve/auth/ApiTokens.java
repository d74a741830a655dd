package org.geopigeon.app.serve.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.geopigeon.service.store.StoreException;

/**
 * API tokens in {@code geopigeon.api_tokens} (migration V10). Only the SHA-256 of a token is stored: a
 * token is 256 random bits, so a fast hash is enough (nothing to brute-force) and a database leak gives
 * no usable token. Tokens are revoked, never deleted, so the table says who could act when.
 *
 * <p>Lookups of valid tokens are cached for {@link #CACHE_TTL}, so a revocation takes effect within
 * that time on a running server.
 */
public final class ApiTokens {

    /** How long a successful lookup is remembered. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(10);
    /** Token names: the principal recorded in audit rows. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final String PREFIX = "gpt_";
    private static final java.util.regex.Pattern TOKEN_SHAPE = java.util.regex.Pattern.compile("gpt_[A-Za-z0-9_-]{43}");
    private static final int CACHE_LIMIT = 10_000;
    private static final String COLUMNS = "id, name, role, token_prefix, created, created_by, revoked, revoked_by";

    private final DataSource dataSource;
    private final Duration cacheTtl;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(TokenInfo info, long expiresNanos) {
    }

    public ApiTokens(DataSource dataSource) {
        this(dataSource, CACHE_TTL);
    }

    /** @param cacheTtl how long a valid token is remembered ({@link Duration#ZERO}: ask the database every time) */
    public ApiTokens(DataSource dataSource, Duration cacheTtl) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /**
     * Creates a token.
     *
     * @param createdBy who runs the command (operating-system user), recorded with the token
     * @throws IllegalArgumentException when the name is not usable
     * @throws IllegalStateException    when an active token of that name exists
     * @throws StoreException           when the database refuses (e.g. a login without rights on the table)
     */
    public IssuedToken create(String name, Role role, String createdBy) {
        checkName(name);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String prefix = publicPrefix(token).orElseThrow();
        String sql = "INSERT INTO geopigeon.api_tokens (name, role, token_sha256, token_prefix, created_by)"
                + " VALUES (?, ?, ?, ?, ?) RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, role.id());
            ps.setBytes(3, sha256(token));
            ps.setString(4, prefix);
            ps.setString(5, createdBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new IssuedToken(info(rs), token);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) { // unique_violation: the partial index on active names
                throw new IllegalStateException("an active token named '" + name + "' already exists; revoke it"
                        + " first (geopigeon token revoke --name " + name + ")", e);
            }
            throw new StoreException("could not create the token", e);
        }
    }

    /**
     * Revokes the active token of {@code name}.
     *
     * @return the revoked token, or empty when there is no active token of that name
     */
    public Optional<TokenInfo> revoke(String name, String revokedBy) {
        String sql = "UPDATE geopigeon.api_tokens SET revoked = now(), revoked_by = ? WHERE name = ?"
                + " AND revoked IS NULL RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, revokedBy);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                cache.clear();
                return rs.next() ? Optional.of(info(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not revoke the token", e);
        }
    }

    /** All tokens, active and revoked, oldest first. */
    public List<TokenInfo> list() {
        String sql = "SELECT " + COLUMNS + " FROM geopigeon.api_tokens ORDER BY id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<TokenInfo> out = new ArrayList<>();
            while (rs.next()) {
                out.add(info(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not list the tokens", e);
        }
    }

    /**
     * The public prefix of a token of this service's shape ({@code gpt_} and 43 base64url characters): its first
     * ten characters, as stored in {@code api_tokens.token_prefix} and shown by {@code geopigeon token list}. It
     * names a token without giving it away (36 of its 256 random bits). Empty for anything else, so no part of
     * another kind of secret sent by mistake is ever recorded.
     */
    public static Optional<String> publicPrefix(String token) {
        if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return Optional.of(token.substring(0, PREFIX.length() + 6));
    }

    /**
     * The active token matching {@code token}, or empty.
     *
     * @throws StoreException when the database cannot be asked
     */
    public Optional<TokenInfo> lookup(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        String key = HexFormat.of().formatHex(hash);
        Cached hit = cache.get(key);
        if (hit != null && hit.expiresNanos - System.nanoTime() > 0) {
            return Optional.of(hit.info);
        }
        String sql = "SELECT " + COLUMNS + " FROM geopigeon.api_tokens WHERE token_sha256 = ? AND revoked IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    cache.remove(key);
                    return Optional.empty();
                }
                TokenInfo info = info(rs);
                if (!cacheTtl.isZero()) {
                    if (cache.size() >= CACHE_LIMIT) {
                        cache.clear();
                    }
                    cache.put(key, new Cached(info, System.nanoTime() + cacheTtl.toNanos()));
                }
                return Optional.of(info);
            }
        } catch (SQLException e) {
            throw new StoreException("could not check the API token", e);
        }
    }

    /** @throws IllegalArgumentException naming the rule */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name + "' is not usable: 1-64 characters, letters,"
                    + " digits and . _ @ - (it is the principal recorded in the audit log)");
        }
    }

    private static TokenInfo info(ResultSet rs) throws SQLException {
        return new TokenInfo(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class), rs.getString(6), rs.getObject(7, OffsetDateTime.class),
                rs.getString(8));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
