package org.geopigeon.service.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.geopigeon.engine.predict.Prediction;

/**
 * Writes the audit rows of a batch job (and, optionally, their predictions) so that writing the same
 * batch again adds nothing: each row carries an idempotency key in {@code request_key} (unique, part of
 * the chained row text; migration V7, which the spool uses for the same purpose), and rows whose key is
 * already in the log are skipped. A Spark task that failed after some of its batches were recorded, a
 * speculative copy of a task, or a whole job resubmitted with the same job id therefore leaves exactly
 * one row per image.
 *
 * <p>One call is one transaction: it takes the audit chain's advisory lock first (the same lock the
 * chain trigger takes for every insert, V2 {@code audit_log_chain}), looks up which keys are already
 * recorded, and inserts the others, each prediction before its audit row as in
 * {@link PredictionStore#store}. Holding the lock from the look-up to the commit is what makes the
 * check-then-insert safe between concurrent writers; the unique index is the backstop. Either all
 * rows of the call are committed or none are (fail closed: the caller returns no result for the batch).
 */
public final class AuditBatch {

    /** The chain trigger's advisory lock key, {@code pg_advisory_xact_lock(4711000001)} in V2__audit_log.sql. */
    static final long CHAIN_LOCK = 4711000001L;

    /**
     * One audit row to write.
     *
     * @param idempotencyKey unique per image and job (the batch job derives it from job id, path and content hash)
     * @param entry          the audit row; accepted, refused or failed
     * @param prediction     the prediction to store with an accepted entry, or null to store none
     * @param topK           cells the prediction was asked for (stored with it), 1..50
     */
    public record Item(UUID idempotencyKey, AuditEntry entry, Prediction prediction, int topK) {
        public Item {
            Objects.requireNonNull(idempotencyKey, "an idempotency key is required");
            Objects.requireNonNull(entry, "entry");
            if (prediction != null && entry.outcome() != Outcome.ACCEPTED) {
                throw new IllegalArgumentException("only accepted rows have a prediction to store, got "
                        + entry.outcome());
            }
        }
    }

    /**
     * What the log holds for one item after the call.
     *
     * @param idempotencyKey  the item's key
     * @param auditId         {@code audit_log.id} of the row with this key
     * @param predictionId    {@code predictions.id} recorded in that row, or null
     * @param alreadyRecorded true when the row was written by an earlier call (a retry), not this one
     */
    public record Recorded(UUID idempotencyKey, long auditId, Long predictionId, boolean alreadyRecorded) {
    }

    private final DataSource dataSource;

    public AuditBatch(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Records the items not yet in the log, in one transaction.
     *
     * @param items   keys must be distinct
     * @param storeAs the registered model to store predictions under, or null to write audit rows only
     * @return one result per item, in the items' order
     * @throws StoreException when anything could not be written; then nothing of this call was written
     */
    public List<Recorded> record(List<Item> items, RegisteredModel storeAs) {
        Set<UUID> keys = new HashSet<>();
        for (Item it : items) {
            if (!keys.add(it.idempotencyKey())) {
                throw new IllegalArgumentException("idempotency key " + it.idempotencyKey() + " appears twice in one batch");
            }
            if (storeAs != null && it.prediction() != null && !storeAs.name().equals(it.prediction().model())) {
                throw new IllegalArgumentException("prediction of model '" + it.prediction().model()
                        + "' cannot be stored as model '" + storeAs.name() + "'");
            }
        }
        if (items.isEmpty()) {
            return List.of();
        }
        try (Connection c = Transactions.open(dataSource)) {
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, CHAIN_LOCK);
                    lock.execute();
                }
                Map<UUID, Recorded> existing = find(c, keys);
                List<Recorded> out = new ArrayList<>(items.size());
                for (Item it : items) {
                    Recorded r = existing.get(it.idempotencyKey());
                    out.add(r != null ? r : insert(c, it, storeAs));
                }
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not write " + items.size() + " audit rows; none of them was written", e);
        }
    }

    private static Recorded insert(Connection c, Item it, RegisteredModel storeAs) throws SQLException {
        AuditEntry entry = it.entry();
        Long predictionId = null;
        if (storeAs != null && it.prediction() != null) {
            if (it.prediction().topCells().isEmpty()) {
                throw new IllegalArgumentException("prediction has no cells");
            }
            predictionId = PredictionStore.insertPrediction(c, storeAs, entry, it.prediction(), it.topK());
            PredictionStore.insertCells(c, storeAs, predictionId, it.prediction());
            entry = entry.withPredictionId(predictionId).withModel(storeAs.name());
        }
        Long inserted = AuditLog.insertKeyed(c, entry, it.idempotencyKey(), null);
        if (inserted == null) {
            // Unreachable under the chain lock taken above: the key was looked up and absent.
            throw new IllegalStateException("audit row " + it.idempotencyKey() + " appeared while the chain was locked");
        }
        long auditId = inserted;
        if (predictionId != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE geopigeon.predictions SET audit_id = ? WHERE id = ?")) {
                ps.setLong(1, auditId);
                ps.setLong(2, predictionId);
                ps.executeUpdate();
            }
        }
        return new Recorded(it.idempotencyKey(), auditId, predictionId, false);
    }

    private static Map<UUID, Recorded> find(Connection c, Set<UUID> keys) throws SQLException {
        Map<UUID, Recorded> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT request_key, id, prediction_id"
                + " FROM geopigeon.audit_log WHERE request_key = ANY (?)")) {
            Array a = c.createArrayOf("uuid", keys.toArray());
            ps.setArray(1, a);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(3);
                    Long predictionId = rs.wasNull() ? null : pid;
                    UUID key = rs.getObject(1, UUID.class);
                    found.put(key, new Recorded(key, rs.getLong(2), predictionId, true));
                }
            }
        }
        return found;
    }
}
