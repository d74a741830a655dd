package org.geopigeon.service.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Appends to and checks {@code geopigeon.audit_log}. The database assigns id and time and computes
 * the hash chain (trigger {@code audit_log_chain}); this class never updates or deletes.
 */
public final class AuditLog {

    private static final String INSERT = "INSERT INTO geopigeon.audit_log (principal, client_address, purpose,"
            + " image_sha256, parameters, outcome, error_code, prediction_id, model)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING id";
    private static final String INSERT_KEYED = "INSERT INTO geopigeon.audit_log (principal, client_address, purpose,"
            + " image_sha256, parameters, outcome, error_code, prediction_id, model, idempotency_key)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) RETURNING id";

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
        return insert(c, e, null);
    }

    /**
     * Appends inside the caller's transaction with an idempotency key (V15), or none when null; a second
     * row with the same key violates the unique index {@code audit_log_idempotency_key}. See {@link AuditBatch}.
     */
    static long insert(Connection c, AuditEntry e, String idempotencyKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(idempotencyKey == null ? INSERT : INSERT_KEYED)) {
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
            if (idempotencyKey != null) {
                ps.setString(10, idempotencyKey);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs {@code geopigeon.verify_audit_chain()}. */
    public ChainStatus verify() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT broken_id, reason, rows_checked FROM geopigeon.verify_audit_chain()")) {
            rs.next();
            long broken = rs.getLong(1);
            return new ChainStatus(rs.wasNull() ? null : broken, rs.getString(2), rs.getLong(3));
        } catch (SQLException e) {
            throw new StoreException("could not verify the audit chain", e);
        }
    }

    /** Rows with {@code ts >= since} (all when null), oldest first, at most {@code limit}. */
    public List<AuditRecord> list(OffsetDateTime since, int limit) {
        String sql = "SELECT id, ts, principal, client_address, purpose, image_sha256, parameters::text, outcome,"
                + " error_code, prediction_id, model, row_hash FROM geopigeon.audit_log"
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
                            rs.getString(11), HexFormat.of().formatHex(rs.getBytes(12))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the audit log", e);
        }
    }
}
