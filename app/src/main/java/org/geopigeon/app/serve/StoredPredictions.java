package org.geopigeon.app.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.service.GeolocationResult;
import org.geopigeon.service.store.StoreException;

/**
 * Reads stored predictions back as the service's answer model from the {@code geopigeon.predicted_points} and
 * {@code geopigeon.predicted_cells} views (the layers GeoServer and QGIS publish), so the viewer shows exactly
 * what those clients see (precision and GPS source included). The EXIF point, audit id, pixel hashes and timings come from the predictions table.
 */
public final class StoredPredictions {

    private static final String POINT_COLUMNS = "pp.prediction_id, pp.confidence, pp.refined, pp.panorama, pp.top_k,"
            + " pp.created, pp.model, pp.top1_cell_id, pp.top1_cell_name, pp.top1_country, pp.exif_distance_km,"
            + " ST_Y(pp.geom) AS lat, ST_X(pp.geom) AS lon, ST_Y(p.exif) AS exif_lat, ST_X(p.exif) AS exif_lon,"
            + " p.audit_id, p.image_sha256, p.timings::text AS timings, coalesce(m.trained, false) AS trained,"
            + " pp.precision, pp.gps_source"
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
    public PredictionGeoJson.FeatureCollection recent(int limit, String owner) {
        String sql = "SELECT " + POINT_COLUMNS + " WHERE" + OWNER + " ORDER BY pp.prediction_id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setString(2, owner);
            ps.setInt(3, limit);
            List<PredictionGeoJson.Feature> features = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    GeolocationResult.Cell top = new GeolocationResult.Cell(1, rs.getString("top1_cell_id"),
                            rs.getString("top1_cell_name"), null, rs.getString("top1_country"), Double.NaN, null);
                    features.add(PredictionGeoJson.summary(new GeolocationResult(estimate(rs), List.of(top))));
                }
            }
            return new PredictionGeoJson.FeatureCollection(features);
        } catch (SQLException e) {
            throw new StoreException("could not read stored predictions", e);
        }
    }

    /**
     * The prediction as the geolocation returned it (estimate, then ranked cells), or empty when unknown.
     *
     * @param owner only if it is this principal's, or null for anyone's
     */
    public Optional<GeolocationResult> byId(long id, String owner) {
        String sql = "SELECT " + POINT_COLUMNS + " WHERE pp.prediction_id = ? AND" + OWNER;
        try (Connection c = dataSource.getConnection()) {
            GeolocationResult.Estimate estimate;
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
            List<GeolocationResult.Cell> cells = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CELLS)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cells.add(new GeolocationResult.Cell(rs.getInt(1), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getDouble(2),
                                GeoJsonGeometry.read(json(rs.getString(7)))));
                    }
                }
            }
            return Optional.of(new GeolocationResult(estimate, cells));
        } catch (SQLException e) {
            throw new StoreException("could not read stored prediction " + id, e);
        }
    }

    private GeolocationResult.Estimate estimate(ResultSet rs) throws SQLException {
        double exifLat = rs.getDouble("exif_lat");
        GeolocationResult.Position exif = rs.wasNull() ? null
                : new GeolocationResult.Position(GeolocationResult.degrees(exifLat),
                        GeolocationResult.degrees(rs.getDouble("exif_lon")));
        double km = rs.getDouble("exif_distance_km");
        Double exifKm = rs.wasNull() ? null : GeolocationResult.kilometres(km);
        long auditId = rs.getLong("audit_id");
        Long audit = rs.wasNull() ? null : auditId;
        OffsetDateTime created = rs.getObject("created", OffsetDateTime.class);
        return new GeolocationResult.Estimate(GeolocationResult.degrees(rs.getDouble("lat")),
                GeolocationResult.degrees(rs.getDouble("lon")), rs.getDouble("confidence"), rs.getBoolean("refined"),
                rs.getString("model"), rs.getBoolean("trained"), rs.getString("precision"),
                rs.getLong("prediction_id"), audit, rs.getInt("top_k"), rs.getBoolean("panorama"),
                hashes(rs.getArray("image_sha256")), null, exif, rs.getString("gps_source"), exifKm,
                timings(rs.getString("timings")), created == null ? null : created.toString());
    }

    private static List<String> hashes(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** The stored timings jsonb ({@code decodeMs, preprocessMs, ...}) in the model's form. */
    private GeolocationResult.Timings timings(String json) {
        if (json == null) {
            return null;
        }
        JsonNode t = json(json);
        if (!t.has("totalMs")) {
            return null;
        }
        return new GeolocationResult.Timings(t.path("decodeMs").asDouble(), t.path("preprocessMs").asDouble(),
                t.path("backboneMs").asDouble(), t.path("headMs").asDouble(), t.path("refineMs").asDouble(),
                t.path("totalMs").asDouble());
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StoreException("PostGIS returned invalid JSON: " + e.getOriginalMessage());
        }
    }
}
