package org.geopigeon.service.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Appends to and checks {@code geopigeon.audit_log}. The database assigns id and time and computes
 * the hash chain (trigger {@code audit_log_chain}); this class never updates or deletes.
 *
 * <p>Writes here fail when the database cannot take the row; {@link AuditTrail} adds the local spool for
 * refusals and failures.
 */
public final class AuditLog {

    private static final String INSERT = "INSERT INTO geopigeon.audit_log (principal, client_address, purpose,"
            + " image_sha256, parameters, outcome, error_code, prediction_id, model)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING id";
    /** A row with an idempotency key: inserted once per key, however often it is tried (V7's unique index). */
    private static final String INSERT_KEYED = "INSERT INTO geopigeon.audit_log (principal, client_address,"
            + " purpose, image_sha256, parameters, outcome, error_code, prediction_id, model, request_key, spooled_at)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_key) DO NOTHING RETURNING id";

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Appends one entry in its own transaction.
     *
     * @return the new row's id
     * @throws StoreException when the row could not be written (callers must then not return a result)
     */
    public long record(AuditEntry entry) {
        try (Connection c = Transactions.open(dataSource)) {
            try {
                long id = insert(c, entry);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not write the audit row (" + entry.outcome().dbValue() + ")", e);
        }
    }

    /** Appends inside the caller's transaction (used to store a prediction and its audit row atomically). */
    static long insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bindEntry(c, ps, e);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Appends one entry under an idempotency key in its own transaction (a refusal the {@link AuditTrail} may
     * spool if this fails: should the commit have happened unseen, the replay finds the key and adds nothing).
     *
     * @return the row's id, or null when a row with this key is already in the log
     * @throws StoreException when the row could not be written
     */
    Long recordKeyed(AuditEntry entry, UUID key) {
        try (Connection c = Transactions.open(dataSource)) {
            try {
                Long id = insertKeyed(c, entry, key, null);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not write the audit row (" + entry.outcome().dbValue() + ")", e);
        }
    }

    /** Appends a row replayed from the spool inside the caller's transaction; null when its key is in already. */
    static Long insertSpooled(Connection c, SpooledAuditRow row) throws SQLException {
        return insertKeyed(c, row.entry(), row.spoolId(), row.spooledAt());
    }

    static Long insertKeyed(Connection c, AuditEntry entry, UUID key, java.time.Instant spooledAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEYED)) {
            bindEntry(c, ps, entry);
            ps.setObject(10, key);
            ps.setObject(11, spooledAt == null ? null : spooledAt.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Which of {@code keys} are already in the log. */
    static Set<UUID> presentKeys(Connection c, Collection<UUID> keys) throws SQLException {
        Set<UUID> present = new HashSet<>();
        if (keys.isEmpty()) {
            return present;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_key FROM geopigeon.audit_log WHERE request_key = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return present;
    }

    /** Parameters 1-9: the entry's columns. */
    private static void bindEntry(Connection c, PreparedStatement ps, AuditEntry e) throws SQLException {
        ps.setString(1, e.principal());
        ps.setString(2, e.clientAddress());
        ps.setString(3, e.purpose());
        Array hashes = c.createArrayOf("text", e.imageSha256().toArray());
        ps.setArray(4, hashes);
        ps.setString(5, Json.write(e.parameters()));
        ps.setString(6, e.outcome().dbValue());
        ps.setString(7, e.errorCode() == null ? null : e.errorCode().name());
        if (e.predictionId() == null) {
            ps.setNull(8, Types.BIGINT);
        } else {
            ps.setLong(8, e.predictionId());
        }
        ps.setString(9, e.model());
    }

    /**
     * Runs {@code geopigeon.verify_audit_chain()}. It reads the whole log, so the statement and socket timeouts
     * of request sessions are lifted for it (connect and lock timeouts still apply).
     */
    public ChainStatus verify() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setNetworkTimeout(Runnable::run, 0);
            s.execute("SET statement_timeout = 0");
            try (ResultSet rs = s.executeQuery(
                    "SELECT broken_id, reason, rows_checked FROM geopigeon.verify_audit_chain()")) {
                rs.next();
                long broken = rs.getLong(1);
                return new ChainStatus(rs.wasNull() ? null : broken, rs.getString(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new StoreException("could not verify the audit chain", e);
        }
    }

    /** Rows with {@code ts >= since} (all when null), oldest first, at most {@code limit}. */
    public List<AuditRecord> list(OffsetDateTime since, int limit) {
        String sql = "SELECT id, ts, principal, client_address, purpose, image_sha256, parameters::text, outcome,"
                + " error_code, prediction_id, model, row_hash, request_key, spooled_at FROM geopigeon.audit_log"
                + " WHERE ts >= coalesce(?, '-infinity'::timestamptz) ORDER BY id LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, since);
            ps.setInt(2, limit);
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(10);
                    Long predictionId = rs.wasNull() ? null : pid;
                    out.add(new AuditRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), List.of((String[]) rs.getArray(6).getArray()),
                            rs.getString(7), Outcome.fromDb(rs.getString(8)), rs.getString(9), predictionId,
                            rs.getString(11), HexFormat.of().formatHex(rs.getBytes(12)), rs.getObject(13, UUID.class),
                            rs.getObject(14, OffsetDateTime.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the audit log", e);
        }
    }
}
