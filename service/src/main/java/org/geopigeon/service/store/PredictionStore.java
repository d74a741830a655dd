package org.geopigeon.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;
import org.locationtech.jts.io.WKBWriter;

/**
 * Writes models, geocells and predictions to the {@code geopigeon} schema. Every write of a
 * prediction carries its audit row in the same transaction: if the audit row cannot be written,
 * nothing is stored and the caller gets an exception. A prediction is stored with the precision its
 * backbone ran in and the source of the photo's GPS position (migration V12).
 */
public final class PredictionStore {

    /** Serialises first-time registration of the same model by concurrent requests. */
    private static final long REGISTER_LOCK = 4711000002L;

    private final DataSource dataSource;

    public PredictionStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Registers the geocell set (once per content hash) and the model (once per name). Safe to call
     * on every start and from several servers at once.
     *
     * @param source where the cells came from (bundle folder), for humans
     * @throws StoreException when the name is already registered with different geocells, or on database errors
     */
    public RegisteredModel register(BundleManifest manifest, GeocellSet cells, String source) {
        String hash = GeocellHash.of(cells);
        try (Connection c = Transactions.open(dataSource)) {
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, REGISTER_LOCK);
                    lock.execute();
                }
                int setId = findOrInsertSet(c, cells, hash, source);
                int modelId = findOrInsertModel(c, manifest, setId, hash);
                c.commit();
                return new RegisteredModel(modelId, setId, manifest.name());
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not register model '" + manifest.name() + "'", e);
        }
    }

    private static int findOrInsertSet(Connection c, GeocellSet cells, String hash, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM geopigeon.geocell_sets WHERE content_sha256 = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
        }
        int setId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.geocell_sets (name, source, content_sha256,"
                + " cell_count) VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, cells.name() == null ? "" : cells.name());
            ps.setString(2, source == null ? "" : source);
            ps.setString(3, hash);
            ps.setInt(4, cells.size());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                setId = rs.getInt(1);
            }
        }
        WKBWriter wkb = new WKBWriter(2, false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.geocells (set_id, class_index, cell_id,"
                + " name, admin1, country, point_count, centroid, geom) VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ST_SetSRID(ST_MakePoint(?, ?), 4326), ST_Multi(ST_GeomFromWKB(?, 4326)))")) {
            for (Geocell g : cells.cells()) {
                ps.setInt(1, setId);
                ps.setInt(2, g.index());
                ps.setString(3, g.id());
                ps.setString(4, g.name());
                ps.setString(5, g.admin1());
                ps.setString(6, g.country());
                ps.setInt(7, g.pointCount());
                ps.setDouble(8, g.centroid().lon());
                ps.setDouble(9, g.centroid().lat());
                ps.setBytes(10, wkb.write(g.geometry()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return setId;
    }

    private static int findOrInsertModel(Connection c, BundleManifest manifest, int setId, String hash)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, geocell_set_id FROM geopigeon.models WHERE name = ?")) {
            ps.setString(1, manifest.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getInt(2) != setId) {
                        throw new StoreException("model '" + manifest.name() + "' is already registered with another"
                                + " geocell set (id " + rs.getInt(2) + "); these geocells hash to " + hash
                                + ". Give a retrained bundle a new name in manifest.json");
                    }
                    return rs.getInt(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.models (name, manifest, trained,"
                + " geocell_set_id) VALUES (?, ?::jsonb, ?, ?) RETURNING id")) {
            ps.setString(1, manifest.name());
            ps.setString(2, Json.write(manifest));
            ps.setBoolean(3, manifest.trained());
            ps.setInt(4, setId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Stores a prediction, its ranked cells and its (accepted) audit row in one transaction.
     *
     * @param entry audit entry of the request; its image hashes are stored with the prediction and its
     *              prediction id is filled in here
     * @param topK  the number of cells the caller asked for
     * @throws StoreException when anything, the audit row included, cannot be written; then nothing is stored
     */
    public StoredPrediction store(RegisteredModel model, AuditEntry entry, Prediction prediction, int topK) {
        Objects.requireNonNull(model, "model");
        if (entry.outcome() != Outcome.ACCEPTED) {
            throw new IllegalArgumentException("only accepted requests have a prediction to store, got " + entry.outcome());
        }
        if (!model.name().equals(prediction.model())) {
            throw new IllegalArgumentException("prediction of model '" + prediction.model()
                    + "' cannot be stored as model '" + model.name() + "'");
        }
        if (prediction.topCells().isEmpty()) {
            throw new IllegalArgumentException("prediction has no cells");
        }
        try (Connection c = Transactions.open(dataSource)) {
            try {
                long predictionId = insertPrediction(c, model, entry, prediction, topK);
                insertCells(c, model, predictionId, prediction);
                // Audit row last: its advisory lock is then held only for the rest of this commit.
                long auditId = AuditLog.insert(c, entry.withPredictionId(predictionId).withModel(model.name()));
                java.time.OffsetDateTime created;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE geopigeon.predictions SET audit_id = ? WHERE id = ? RETURNING created")) {
                    ps.setLong(1, auditId);
                    ps.setLong(2, predictionId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        created = rs.getObject(1, java.time.OffsetDateTime.class);
                    }
                }
                c.commit();
                return new StoredPrediction(predictionId, auditId, created);
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not store the prediction and its audit row; nothing was stored", e);
        }
    }

    /**
     * A position to 7 decimals (about 1 cm), as {@code inspect} and the JSON answers show it: EXIF rationals in
     * degrees, minutes and seconds leave binary noise (-179.95000000000002), and estimates come from float32 arithmetic
     * (16.675996780395508), which would otherwise appear in the {@code exif_geom} and {@code error_line} layers' text.
     */
    static LatLon centimetre(LatLon p) {
        return new LatLon(Math.round(p.lat() * 1e7) / 1e7, Math.round(p.lon() * 1e7) / 1e7);
    }

    static long insertPrediction(Connection c, RegisteredModel model, AuditEntry entry, Prediction p, int topK)
            throws SQLException {
        String sql = "INSERT INTO geopigeon.predictions (model_id, geocell_set_id, location, confidence, refined,"
                + " top1_class_index, image_sha256, exif, panorama, top_k, timings, precision, gps_source) VALUES (?, ?,"
                + " ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ?, ?, ?,"
                + " CASE WHEN ?::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(?, ?), 4326) END,"
                + " ?, ?, ?::jsonb, ?, ?) RETURNING id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, model.modelId());
            ps.setInt(2, model.geocellSetId());
            LatLon location = centimetre(p.location()); // the value the JSON answer shows
            ps.setDouble(3, location.lon());
            ps.setDouble(4, location.lat());
            ps.setDouble(5, Math.max(0, Math.min(1, p.confidence())));
            ps.setBoolean(6, p.refined());
            ps.setInt(7, p.topCells().get(0).cell().index());
            ps.setArray(8, c.createArrayOf("text", entry.imageSha256().toArray()));
            LatLon exif = p.exifGps() == null ? null : centimetre(p.exifGps());
            for (int i : new int[] {9, 10}) {
                if (exif == null) {
                    ps.setNull(i, Types.DOUBLE);
                } else {
                    ps.setDouble(i, exif.lon());
                }
            }
            if (exif == null) {
                ps.setNull(11, Types.DOUBLE);
            } else {
                ps.setDouble(11, exif.lat());
            }
            ps.setBoolean(12, entry.imageSha256().size() == Geolocator.PANORAMA_VIEWS);
            ps.setInt(13, topK);
            ps.setString(14, Json.write(timings(p.timings())));
            ps.setString(15, p.precision() == null ? null : p.precision().id());
            ps.setString(16, exif == null || p.gpsSource() == null ? null : p.gpsSource().id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void insertCells(Connection c, RegisteredModel model, long predictionId, Prediction p)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.prediction_cells (prediction_id, rank,"
                + " geocell_set_id, class_index, probability) VALUES (?, ?, ?, ?, ?)")) {
            for (CellProbability cp : p.topCells()) {
                ps.setLong(1, predictionId);
                ps.setInt(2, cp.rank());
                ps.setInt(3, model.geocellSetId());
                ps.setInt(4, cp.cell().index());
                ps.setDouble(5, Math.max(0, Math.min(1, cp.probability())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Map<String, Object> timings(StageTimings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (t != null) {
            m.put("decodeMs", t.decodeMs());
            m.put("preprocessMs", t.preprocessMs());
            m.put("backboneMs", t.backboneMs());
            m.put("headMs", t.headMs());
            m.put("refineMs", t.refineMs());
            m.put("totalMs", t.totalMs());
        }
        return m;
    }

    /** Number of stored predictions (for status output and tests). */
    public long countPredictions() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM geopigeon.predictions")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("could not count predictions", e);
        }
    }
}
