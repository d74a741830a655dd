package org.geopigeon.app.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.service.store.StoreException;

/**
 * Reads stored predictions back as GeoJSON from the {@code geopigeon.predicted_points} and
 * {@code geopigeon.predicted_cells} views (the layers GeoServer and QGIS publish), so the viewer shows
 * exactly what those clients see. The EXIF point comes from the predictions table.
 */
public final class StoredPredictions {

    private static final String POINT_COLUMNS = "pp.prediction_id, pp.confidence, pp.refined, pp.panorama, pp.top_k,"
            + " pp.created, pp.model, pp.top1_cell_id, pp.top1_cell_name, pp.top1_country, pp.exif_distance_km,"
            + " ST_Y(pp.geom) AS lat, ST_X(pp.geom) AS lon, ST_Y(p.exif) AS exif_lat, ST_X(p.exif) AS exif_lon,"
            + " coalesce(m.trained, false) AS trained"
            + " FROM geopigeon.predicted_points pp"
            + " JOIN geopigeon.predictions p ON p.id = pp.prediction_id"
            + " LEFT JOIN geopigeon.models m ON m.name = pp.model"
            + " LEFT JOIN geopigeon.audit_log a ON a.id = p.audit_id";
    /** An analyst sees the predictions whose audit row names them; others pass null and see all. */
    private static final String OWNER = " (?::text IS NULL OR a.principal = ?)";
    /** 6 decimals (~0.1 m) is far finer than any geocell edge and keeps the answer small. */
    private static final String CELLS = "SELECT rank, probability, cell_id, cell_name, admin1, country,"
            + " ST_AsGeoJSON(geom, 6) FROM geopigeon.predicted_cells WHERE prediction_id = ? ORDER BY rank";

    private final DataSource dataSource;
    private final ObjectMapper mapper = new ObjectMapper();

    public StoredPredictions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The newest {@code limit} predictions as point features, newest first.
     *
     * @param owner only the predictions of this principal, or null for everyone's
     */
    public ObjectNode recent(int limit, String owner) {
        String sql = "SELECT " + POINT_COLUMNS + " WHERE" + OWNER + " ORDER BY pp.prediction_id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setString(2, owner);
            ps.setInt(3, limit);
            ObjectNode fc = JsonNodeFactory.instance.objectNode();
            fc.put("type", "FeatureCollection");
            ArrayNode features = fc.putArray("features");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode f = PredictionGeoJson.estimateFeature(estimate(rs));
                    f.put("id", "prediction-" + rs.getLong("prediction_id"));
                    ObjectNode props = (ObjectNode) f.get("properties");
                    props.put("top1_cell_id", rs.getString("top1_cell_id"));
                    props.put("top1_cell_name", rs.getString("top1_cell_name"));
                    props.put("top1_country", rs.getString("top1_country"));
                    features.add(f);
                }
            }
            return fc;
        } catch (SQLException e) {
            throw new StoreException("could not read stored predictions", e);
        }
    }

    /**
     * The prediction as the geolocation returned it (estimate, then ranked cells), or empty when unknown.
     *
     * @param owner only if it is this principal's, or null for anyone's
     */
    public Optional<ObjectNode> byId(long id, String owner) {
        String sql = "SELECT " + POINT_COLUMNS + " WHERE pp.prediction_id = ? AND" + OWNER;
        try (Connection c = dataSource.getConnection()) {
            PredictionGeoJson.Estimate estimate;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                ps.setString(2, owner);
                ps.setString(3, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    estimate = estimate(rs);
                }
            }
            List<PredictionGeoJson.Cell> cells = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CELLS)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cells.add(new PredictionGeoJson.Cell(rs.getInt(1), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getDouble(2), geometry(rs.getString(7))));
                    }
                }
            }
            return Optional.of(PredictionGeoJson.collection(estimate, cells));
        } catch (SQLException e) {
            throw new StoreException("could not read stored prediction " + id, e);
        }
    }

    private static PredictionGeoJson.Estimate estimate(ResultSet rs) throws SQLException {
        double exifLat = rs.getDouble("exif_lat");
        LatLon exif = rs.wasNull() ? null : new LatLon(exifLat, rs.getDouble("exif_lon"));
        double km = rs.getDouble("exif_distance_km");
        Double exifKm = rs.wasNull() ? null : PredictionGeoJson.round(km, 3);
        OffsetDateTime created = rs.getObject("created", OffsetDateTime.class);
        return new PredictionGeoJson.Estimate(new LatLon(rs.getDouble("lat"), rs.getDouble("lon")),
                rs.getDouble("confidence"), rs.getBoolean("refined"), rs.getString("model"), rs.getBoolean("trained"),
                rs.getLong("prediction_id"), exif, exifKm, rs.getInt("top_k"), rs.getBoolean("panorama"),
                created == null ? null : created.toString());
    }

    private JsonNode geometry(String geoJson) {
        try {
            return mapper.readTree(geoJson);
        } catch (JsonProcessingException e) {
            throw new StoreException("PostGIS returned invalid GeoJSON: " + e.getOriginalMessage());
        }
    }
}
