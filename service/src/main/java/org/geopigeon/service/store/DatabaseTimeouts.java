package org.geopigeon.service.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How long GeoPigeon waits for PostGIS, so that a stopped, frozen or locked database turns into a clear
 * refusal within seconds instead of a request that hangs as long as the database does.
 *
 * <ul>
 *   <li>{@code connect}: TCP connect and login (pgjdbc {@code connectTimeout} and {@code loginTimeout}); a
 *       stopped server fails at once, a hung one after this long.</li>
 *   <li>{@code statement}: server-side {@code statement_timeout} of every statement, lock waits included.</li>
 *   <li>{@code lock}: server-side {@code lock_timeout}: the longest wait for a table, row or advisory lock (the
 *       audit chain's lock included), e.g. while another session holds the audit table.</li>
 * </ul>
 * The client also stops reading after {@link #socket()} = statement + {@value #SOCKET_MARGIN_SECONDS} s
 * (pgjdbc {@code socketTimeout}): the backstop for a server that stopped answering altogether, which can no
 * longer enforce its own statement timeout.
 *
 * <p>pgjdbc takes whole seconds for its client-side timeouts, so every value is a whole number of seconds,
 * at least 1.
 *
 * @param connect   connect and login timeout
 * @param statement statement timeout
 * @param lock      lock timeout; at most {@code statement} (a longer one could never fire)
 */
public record DatabaseTimeouts(Duration connect, Duration statement, Duration lock) {

    /** 5 s to connect, 5 s per statement, 3 s for a lock. */
    public static final DatabaseTimeouts DEFAULT = ofSeconds(5, 5, 3);
    static final int SOCKET_MARGIN_SECONDS = 5;

    public DatabaseTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(lock, "lock");
        requireWholeSeconds("geopigeon.jdbc.connectTimeoutSeconds", connect);
        requireWholeSeconds("geopigeon.jdbc.statementTimeoutSeconds", statement);
        requireWholeSeconds("geopigeon.jdbc.lockTimeoutSeconds", lock);
        if (lock.compareTo(statement) > 0) {
            throw new IllegalArgumentException("geopigeon.jdbc.lockTimeoutSeconds (" + lock.toSeconds()
                    + ") must not exceed geopigeon.jdbc.statementTimeoutSeconds (" + statement.toSeconds() + ")");
        }
    }

    /** Timeouts given in whole seconds: connect, statement and lock wait. */
    public static DatabaseTimeouts ofSeconds(long connect, long statement, long lock) {
        return new DatabaseTimeouts(Duration.ofSeconds(connect), Duration.ofSeconds(statement), Duration.ofSeconds(lock));
    }

    /** Client-side read timeout: the statement timeout plus a margin for the server to report it. */
    public Duration socket() {
        return statement.plusSeconds(SOCKET_MARGIN_SECONDS);
    }

    /** The startup {@code options} that set the server-side timeouts of every session. */
    String serverOptions() {
        return "-c statement_timeout=" + statement.toMillis() + " -c lock_timeout=" + lock.toMillis();
    }

    private static void requireWholeSeconds(String setting, Duration d) {
        if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(setting + " must be a whole number of seconds, at least 1; got " + d);
        }
    }
}
