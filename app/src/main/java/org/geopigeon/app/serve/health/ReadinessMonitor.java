package org.geopigeon.app.serve.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.geopigeon.app.serve.process.StoreHealth;

/**
 * Readiness: can a request be answered now? The service answers only what it can audit, so the check is
 * the real thing: an audit row is inserted (through the hash-chain trigger, with the service's own
 * database login and privileges) inside a transaction that is then rolled back. A revoked INSERT
 * privilege, a read-only or full database, a broken trigger or an unreachable server all make the service
 * not ready.
 *
 * <p>Checks run on this monitor's own thread, never on an HTTP worker; concurrent probes share one check,
 * and a result is reused for {@code cacheFor}. While the database is failing, {@link #retryAfterSeconds()}
 * grows with the length of the outage (a quarter of it, 5 to 60 s), for the {@code Retry-After} of 503
 * STORE_FAILED answers.
 *
 * <p>The readiness answer is public, so a failed check says only what kind of failure it was (unreachable,
 * not permitted, timed out, ...); the driver's message, which names the database host and port, goes to the
 * server log at WARN, once per kind of failure.
 */
public final class ReadinessMonitor implements StoreHealth, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadinessMonitor.class);

    /** One check's outcome. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(boolean ok, double ms, String detail) {
    }

    /**
     * @param ready    every check passed
     * @param checks   check name to outcome
     * @param checked  when the checks ran
     */
    public record Readiness(boolean ready, Map<String, Check> checks, Instant checked) {

        /** {@code ready} or {@code unavailable}, the {@code status} member of {@code /health/ready}. */
        public String status() {
            return ready ? "ready" : "unavailable";
        }
    }

    private static final String PROBE = "INSERT INTO geopigeon.audit_log (principal, purpose, outcome, error_code)"
            + " VALUES ('readiness-probe', 'readiness probe: rolled back, never committed', 'refused',"
            + " 'INVALID_REQUEST')";

    private final DataSource dataSource;
    private final Duration statementTimeout;
    private final Duration cacheFor;
    private final Map<String, Check> staticChecks;
    private final ExecutorService thread;
    private CompletableFuture<Readiness> latest;
    private volatile Instant downSince;
    private volatile String lastLogged;

    /**
     * @param statementTimeout longest the probe insert may take
     * @param cacheFor         how long a result is reused
     * @param staticChecks     checks decided at start (model loaded), reported with every answer
     */
    public ReadinessMonitor(DataSource dataSource, Duration statementTimeout, Duration cacheFor,
                            Map<String, Check> staticChecks) {
        this.dataSource = dataSource;
        this.statementTimeout = statementTimeout;
        this.cacheFor = cacheFor;
        this.staticChecks = Map.copyOf(staticChecks);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "geopigeon-readiness");
            t.setDaemon(true);
            return t;
        });
    }

    /** The latest readiness, checking again when the cached one is older than {@code cacheFor}. */
    public synchronized CompletableFuture<Readiness> current() {
        CompletableFuture<Readiness> f = latest;
        if (f == null || f.isDone() && (f.isCompletedExceptionally()
                || Duration.between(f.join().checked(), Instant.now()).compareTo(cacheFor) > 0)) {
            latest = CompletableFuture.supplyAsync(this::check, thread);
        }
        return latest;
    }

    /** Checks now, on the calling thread (tests and start-up). */
    public Readiness check() {
        Map<String, Check> checks = new LinkedHashMap<>(staticChecks);
        checks.put("audit_write", probe());
        boolean ready = checks.values().stream().allMatch(Check::ok);
        if (ready) {
            downSince = null;
            lastLogged = null;
        } else if (downSince == null) {
            downSince = Instant.now();
        }
        return new Readiness(ready, checks, Instant.now());
    }

    private Check probe() {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // the chain trigger needs it
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
                s.executeUpdate(PROBE);
            } finally {
                c.rollback();
            }
            return new Check(true, ms(t0), null);
        } catch (SQLException e) {
            String reason = publicReason(e.getSQLState());
            String logged = e.getSQLState() + " " + e.getMessage();
            if (!logged.equals(lastLogged)) { // once per kind of failure, not at every probe
                lastLogged = logged;
                LOG.warn("readiness: an audit row cannot be written now ({}): SQL state {}: {}", reason,
                        e.getSQLState(), e.getMessage());
            }
            return new Check(false, ms(t0), "an audit row cannot be written now: " + reason
                    + "; the server log has the details");
        }
    }

    /**
     * What the public readiness answer says about a failed probe: the kind of failure from its SQL state
     * (PostgreSQL Appendix A, error codes), never the driver's text, which names the database host and port.
     */
    static String publicReason(String sqlState) {
        String s = sqlState == null ? "" : sqlState;
        if (s.startsWith("08")) {
            return "the database cannot be reached";
        }
        if (s.equals("42501")) {
            return "the service's database login may not write audit rows";
        }
        if (s.equals("57014") || s.equals("55P03")) {
            return "the database did not answer in time";
        }
        if (s.equals("25006")) {
            return "the database is read-only";
        }
        if (s.startsWith("53")) {
            return "the database is out of resources (disk, memory or connections)";
        }
        if (s.startsWith("57") || s.startsWith("58")) {
            return "the database is shutting down or unavailable";
        }
        return "the database refused the write";
    }

    private static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
    }

    @Override
    public synchronized void storeFailed() {
        if (downSince == null) {
            downSince = Instant.now();
        }
        if (latest != null && latest.isDone()) {
            latest = null; // the next probe checks again
        }
    }

    @Override
    public int retryAfterSeconds() {
        Instant since = downSince;
        long down = since == null ? 0 : Duration.between(since, Instant.now()).toSeconds();
        return (int) Math.max(5, Math.min(60, down / 4));
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
