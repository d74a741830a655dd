package org.geopigeon.service.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log with a safety net: every request leaves a trace, even while the database cannot take it.
 *
 * <p>{@link #recordRefusal} writes the audit row of a refused or failed request to {@code geopigeon.audit_log};
 * when the database cannot take it (stopped, unreachable, frozen past the {@link DatabaseTimeouts}, INSERT
 * refused), the row goes to the local {@link AuditSpool} instead, the server log says so, and the refusal still
 * goes out. Accepted requests are never spooled: their result is withheld unless their row is in the
 * database (fail closed), so {@link #record} simply fails.
 *
 * <p><b>Replay.</b> Spooled rows are inserted into the hash chain in spool order (time of the refusal), each
 * once: every refusal gets an idempotency key before its first write attempt ({@code audit_log.request_key},
 * unique), so neither a commit that happened unseen (connection lost during COMMIT) nor a second replayer
 * can add it twice; {@code spooled_at} keeps its original time. Replay happens (1) before the next refusal
 * written through this trail, so the chain keeps the order in which this service saw its refusals, (2) in the
 * background every {@code retryInterval} while rows wait in this database's spool folder (whoever spooled
 * them), and (3) on demand ({@link #replayPending()}, {@code geopigeon audit replay}). Replayers in different
 * processes take turns on a PostgreSQL advisory lock (one that finds it taken skips), and the unique key stops
 * duplicates in any case.
 *
 * <p>While the database is known to be unavailable (the last attempt timed out or could not connect, within the
 * last {@code quietPeriod}) refusals go straight to the spool, so a frozen database costs a request one timeout
 * at most, not two.
 */
public final class AuditTrail implements AutoCloseable {

    /** Replay retry period in the background while rows wait in the spool. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);
    /** After a timeout or failed connect, how long refusals skip the database and go straight to the spool. */
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(5);
    /** Advisory lock key serialising replays across processes (4711000001 is the chain, ...02 registration). */
    static final long REPLAY_LOCK = 4711000003L;
    /** Rows per replay transaction: short holds of the chain lock, so live requests barely wait. */
    static final int REPLAY_BATCH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final DataSource dataSource;
    private final AuditLog log;
    private final AuditSpool spool;
    private final Duration retryInterval;
    private final Duration quietPeriod;
    private final ReentrantLock replaying = new ReentrantLock();
    private final Object schedulerLock = new Object();
    /** Started on the first spooled row (or at construction when rows wait); guarded by schedulerLock. */
    private ScheduledExecutorService retry;
    /** The spool may hold rows not yet in the log. */
    private volatile boolean pending;
    /** System.nanoTime() until which the database counts as unavailable. */
    private volatile long quietUntil;
    private volatile boolean closed;
    /** The last background attempt failed (its outage is logged once). Only the retry thread touches it. */
    private boolean backgroundFailing;
    /** Whether this trail replays in the background while rows wait (tools replay on request only). */
    private final boolean background;

    /**
     * A trail whose spool lives under {@code spoolRoot}, in the folder of the database {@code dataSource} points
     * at, with the default retry interval and quiet period.
     */
    public AuditTrail(DataSource dataSource, Path spoolRoot) {
        this(dataSource, AuditSpool.forDatabase(spoolRoot, databaseOf(dataSource)), DEFAULT_RETRY_INTERVAL,
                DEFAULT_QUIET_PERIOD);
    }

    /**
     * @param retryInterval background replay period while rows wait (at least 1 ms)
     * @param quietPeriod   after the database timed out or could not be reached, refusals go straight to the
     *                      spool this long (zero: always try the database first)
     */
    public AuditTrail(DataSource dataSource, AuditSpool spool, Duration retryInterval, Duration quietPeriod) {
        this(dataSource, spool, retryInterval, quietPeriod, true);
    }

    /**
     * A trail for a tool that inspects or replays the spool on request ({@code geopigeon audit verify|replay}):
     * no background replay.
     */
    public static AuditTrail withoutBackgroundReplay(DataSource dataSource, Path spoolRoot) {
        return new AuditTrail(dataSource, AuditSpool.forDatabase(spoolRoot, databaseOf(dataSource)),
                DEFAULT_RETRY_INTERVAL, DEFAULT_QUIET_PERIOD, false);
    }

    private AuditTrail(DataSource dataSource, AuditSpool spool, Duration retryInterval, Duration quietPeriod,
                       boolean background) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.log = new AuditLog(dataSource);
        this.spool = Objects.requireNonNull(spool, "spool");
        if (retryInterval.isNegative() || retryInterval.isZero() || quietPeriod.isNegative()) {
            throw new IllegalArgumentException("retry interval must be positive and quiet period not negative: "
                    + retryInterval + ", " + quietPeriod);
        }
        this.retryInterval = retryInterval;
        this.quietPeriod = quietPeriod;
        this.background = background;
        try {
            if (!spool.isEmpty()) {
                pending = true; // rows left by an earlier run (or another process): replay them when we can
                LOG.info("audit spool {} holds rows from an earlier run; they are replayed when the database takes"
                        + " writes", spool.folder());
            }
        } catch (IOException e) {
            LOG.warn("cannot read the audit spool {}: {}", spool.folder(), e.toString());
        }
        // Always, not only once this trail spools: another process (a CLI run during an outage) may leave rows.
        scheduleRetries();
    }

    /**
     * Which database a data source points at, without credentials ({@code host:port/database}), so each database
     * gets its own spool folder. pgjdbc data sources only; others share the folder {@code unknown-database}.
     */
    public static String databaseOf(DataSource dataSource) {
        try {
            if (dataSource.isWrapperFor(BaseDataSource.class)) {
                BaseDataSource b = dataSource.unwrap(BaseDataSource.class);
                String host = b.getServerNames().length > 0 ? b.getServerNames()[0] : "localhost";
                int port = b.getPortNumbers().length > 0 && b.getPortNumbers()[0] > 0 ? b.getPortNumbers()[0] : 5432;
                return host + ":" + port + "/" + b.getDatabaseName();
            }
        } catch (SQLException e) {
            LOG.debug("cannot tell which database {} points at", dataSource, e);
        }
        return "unknown-database";
    }

    /**
     * Records the audit row of a refused or failed request: in the audit log, or when the database cannot take
     * it, in the local spool. Never throws for a database failure: the refusal goes out either way.
     *
     * @param entry   a refused or failed request
     * @param prepare run before the database write (e.g. applying migrations); a {@link StoreException} from it
     *                counts as the database being unable to take the row
     * @return where the row went; {@link AuditReceipt#recorded()} is false only when the spool failed as well
     *         (then the full row is in the server log at ERROR)
     * @throws IllegalArgumentException for an accepted request (fail closed: those are never spooled)
     */
    public AuditReceipt recordRefusal(AuditEntry entry, Runnable prepare) {
        return recordRefusal(entry, prepare, null);
    }

    /**
     * {@link #recordRefusal(AuditEntry, Runnable)} for a request that failed because of the database: when
     * {@code why} is a {@link StoreException} saying the database timed out or could not be reached, the row goes
     * straight to the spool (and so do refusals for the quiet period) instead of waiting for the same timeout a
     * second time.
     */
    public AuditReceipt recordRefusal(AuditEntry entry, Runnable prepare, Throwable why) {
        if (entry.outcome() == Outcome.ACCEPTED) {
            throw new IllegalArgumentException("only refusals and failures are spooled; an accepted request needs"
                    + " its audit row in the database (use record)");
        }
        UUID key = UUID.randomUUID(); // before the first attempt: a commit that happened unseen is not repeated
        if (why instanceof StoreException se && se.unavailable()) {
            noteFailure(se);
            return spool(key, entry, se);
        }
        StoreException failure;
        if (System.nanoTime() - quietUntil < 0) {
            failure = new StoreException("the audit database did not answer moments ago and is being retried in"
                    + " the background");
        } else {
            try {
                replayBeforeWrite();
                prepare.run();
                Long id = log.recordKeyed(entry, key);
                if (id != null) {
                    return AuditReceipt.written(id);
                }
                failure = new StoreException("a fresh request key was already in the audit log"); // not reached
            } catch (StoreException e) {
                failure = e;
                noteFailure(e);
            }
        }
        return spool(key, entry, failure);
    }

    /** {@link #recordRefusal(AuditEntry, Runnable)} with nothing to prepare. */
    public AuditReceipt recordRefusal(AuditEntry entry) {
        return recordRefusal(entry, () -> { });
    }

    /**
     * Appends any entry to the audit log, after replaying waiting spool rows. Never spools.
     *
     * @return the new row's id
     * @throws StoreException when the database cannot take the row (for an accepted request: withhold the result)
     */
    public long record(AuditEntry entry) {
        replayBeforeWrite();
        return log.record(entry);
    }

    private AuditReceipt spool(UUID key, AuditEntry entry, StoreException failure) {
        try {
            SpooledAuditRow row = spool.append(key, entry, failure.getMessage());
            pending = true;
            LOG.warn("audit row of a {} request ({}, principal {}) spooled as {} in {}: the database could not take"
                            + " it ({}); it is replayed into the audit log when the database is back",
                    entry.outcome().dbValue(), entry.errorCode(), entry.principal(), row.spoolId(), spool.folder(),
                    failure.getMessage());
            scheduleRetries();
            return AuditReceipt.spooled(row.spoolId(), failure.incidentId());
        } catch (IOException | RuntimeException e) {
            String incident = failure.incidentId() != null ? failure.incidentId() : StoreException.newIncidentId();
            LOG.error("incident {}: AUDIT ROW LOST: neither the database ({}) nor the spool {} ({}) took the audit row"
                            + " of a {} request; its fields: {}", incident, failure.getMessage(), spool.folder(), e,
                    entry.outcome().dbValue(), entry);
            return AuditReceipt.lost(incident);
        }
    }

    private void noteFailure(StoreException e) {
        if (e.unavailable() && !quietPeriod.isZero()) {
            quietUntil = System.nanoTime() + quietPeriod.toNanos();
        }
    }

    /** Replays waiting rows before a live write; a failure means the live write would fail too. */
    private void replayBeforeWrite() {
        if (pending) {
            replayPending();
        }
    }

    /**
     * Inserts the spooled rows not yet in the audit log, oldest first, then removes the segments whose rows
     * are all in. Safe to run from several threads and processes at once.
     *
     * @throws StoreException when the database cannot take them now (they stay in the spool)
     */
    public ReplayResult replayPending() {
        if (!replaying.tryLock()) {
            return new ReplayResult(0, 0, 0, true); // this trail is replaying already, on another thread
        }
        try {
            return replay();
        } catch (SQLException e) {
            StoreException se = new StoreException("could not write the spooled audit rows into the audit log; they"
                    + " stay in the spool", e);
            noteFailure(se);
            throw se;
        } finally {
            replaying.unlock();
        }
    }

    private ReplayResult replay() throws SQLException {
        AuditSpool.SpoolContents contents = readSpool();
        if (contents.rows().isEmpty()) {
            pending = false;
            return ReplayResult.NOTHING;
        }
        Set<UUID> inLog = new HashSet<>();
        int replayed = 0;
        long firstId = 0;
        long lastId = 0;
        try (Connection c = Transactions.open(dataSource)) {
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return new ReplayResult(0, 0, contents.rows().size(), true);
                }
                inLog.addAll(AuditLog.presentKeys(c, contents.rows().stream().map(SpooledAuditRow::spoolId).toList()));
                int inBatch = 0;
                for (SpooledAuditRow row : contents.rows()) {
                    if (inLog.contains(row.spoolId())) {
                        continue;
                    }
                    Long id = AuditLog.insertSpooled(c, row);
                    if (id != null) {
                        replayed++;
                        firstId = firstId == 0 ? id : firstId;
                        lastId = id;
                    }
                    inLog.add(row.spoolId()); // inserted now, or by someone else a moment ago (conflict)
                    if (++inBatch == REPLAY_BATCH) {
                        c.commit();
                        inBatch = 0;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            } finally {
                unlock(c);
            }
        }
        int already = contents.rows().size() - replayed;
        if (replayed > 0) {
            LOG.info("replayed {} spooled audit rows into the audit log (ids {} to {}) from {}", replayed, firstId,
                    lastId, spool.folder());
        }
        quietUntil = System.nanoTime();
        int remaining;
        try {
            remaining = spool.removeReplayed(inLog);
        } catch (IOException e) {
            LOG.warn("replayed rows are in the audit log but their spool segments in {} could not be removed ({});"
                    + " the next replay skips them", spool.folder(), e.toString());
            remaining = 0;
        }
        pending = remaining > 0;
        return new ReplayResult(replayed, already, remaining, false);
    }

    private AuditSpool.SpoolContents readSpool() {
        try {
            return spool.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit spool " + spool.folder(), e);
        }
    }

    /**
     * The spool as {@code audit verify} reports it: rows waiting, and which of them the audit log lacks (asked
     * from the database when it answers; {@link SpoolStatus#notInLog()} is null when it does not).
     */
    public SpoolStatus status() {
        AuditSpool.SpoolContents contents = readSpool();
        List<SpooledAuditRow> rows = contents.rows();
        Integer notInLog = null;
        Instant oldest = rows.isEmpty() ? null : rows.get(0).spooledAt();
        if (rows.isEmpty()) {
            notInLog = 0;
        } else {
            try (Connection c = dataSource.getConnection()) {
                Set<UUID> in = AuditLog.presentKeys(c, rows.stream().map(SpooledAuditRow::spoolId).toList());
                List<SpooledAuditRow> missing = rows.stream().filter(r -> !in.contains(r.spoolId())).toList();
                notInLog = missing.size();
                oldest = missing.isEmpty() ? null : missing.get(0).spooledAt();
            } catch (SQLException e) {
                LOG.warn("cannot compare the audit spool {} with the audit log: {}", spool.folder(), e.toString());
            }
        }
        return new SpoolStatus(spool.folder(), rows.size(), notInLog, oldest, contents.problems());
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, REPLAY_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Session-level lock: released here, or by the server when the connection closes whatever happens. */
    private static void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, REPLAY_LOCK);
            ps.execute();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            LOG.debug("releasing the replay lock; closing the connection releases it", e);
        }
    }

    private void scheduleRetries() {
        synchronized (schedulerLock) {
            if (retry != null || closed || !background) {
                return;
            }
            retry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "geopigeon-audit-replay");
                t.setDaemon(true);
                return t;
            });
            long ms = retryInterval.toMillis();
            retry.scheduleWithFixedDelay(this::retryInBackground, ms, Math.max(1, ms), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One background attempt, when rows may wait (this trail spooled, or the folder holds segments, e.g. of
     * another process); an outage is logged once (INFO), not every retry interval.
     */
    private void retryInBackground() {
        try {
            if (!pending && spool.isEmpty()) {
                return;
            }
        } catch (IOException e) {
            LOG.debug("cannot list the audit spool {}", spool.folder(), e);
            return;
        }
        if (!replaying.tryLock()) {
            return;
        }
        try {
            replay();
            backgroundFailing = false;
        } catch (SQLException e) {
            if (StoreException.unavailable(e) && !quietPeriod.isZero()) {
                quietUntil = System.nanoTime() + quietPeriod.toNanos();
            }
            if (!backgroundFailing) {
                LOG.info("audit spool {}: rows wait for the database, which does not take them yet ({}); retrying"
                        + " every {}", spool.folder(), StoreException.reason(e), retryInterval);
            }
            LOG.debug("audit spool replay attempt failed", e);
            backgroundFailing = true;
        } catch (RuntimeException e) {
            LOG.warn("audit spool replay failed, retrying in {}", retryInterval, e);
        } finally {
            replaying.unlock();
        }
    }

    /** The database side of this trail. */
    public AuditLog auditLog() {
        return log;
    }

    /** The local spool that takes rows while the database cannot. */
    public AuditSpool spool() {
        return spool;
    }

    /**
     * Stops the background replay and closes this trail's spool segment (rows in it stay for the next run, or
     * for whoever replays the spool).
     */
    @Override
    public void close() {
        synchronized (schedulerLock) {
            closed = true;
            if (retry != null) {
                retry.shutdownNow();
            }
        }
        spool.close();
    }
}
