package org.geopigeon.service.styles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A tiny, fully known data set in a migrated GeoPigeon database: five square geocells in a row and
 * three predictions, laid out so every style class lands on a known spot of a 0..10 x 0..10 degree map.
 * Probabilities and confidences sit exactly on the class boundaries, so the tests also pin down
 * that each class includes its lower bound.
 */
final class KnownPredictions {

    /** A geocell of the fixture: lon [west, east] x lat [south, north]. */
    record Cell(int classIndex, int rank, double probability, double west, double east, double south, double north) {
        double centreLon() {
            return (west + east) / 2;
        }

        double centreLat() {
            return (south + north) / 2;
        }
    }

    /** A stored prediction's point estimate, with EXIF GPS when the photo had it. */
    record Point(long predictionId, double lon, double lat, double confidence, Double exifLon, Double exifLat) {
    }

    /** Prediction 1's cells: one per probability class, rank 1 = the 0.5 cell. Sum = 1. */
    static final List<Cell> CELLS = List.of(
            new Cell(0, 5, 0.00, 0.2, 1.8, 1, 3),
            new Cell(1, 4, 0.05, 2.2, 3.8, 1, 3),
            new Cell(2, 3, 0.15, 4.2, 5.8, 1, 3),
            new Cell(3, 2, 0.30, 6.2, 7.8, 1, 3),
            new Cell(4, 1, 0.50, 8.2, 9.8, 1, 3));

    /** One point per confidence class (low, medium, high); the medium one carries EXIF GPS 2 degrees north. */
    static final List<Point> POINTS = List.of(
            new Point(1, 2, 7, 0.10, null, null),
            new Point(2, 5, 7, 0.25, 5.0, 9.0),
            new Point(3, 8, 7, 0.50, null, null));

    private KnownPredictions() {
    }

    static void insert(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO geopigeon.geocell_sets (id, name, source, content_sha256, cell_count)"
                    + " VALUES (1, 'render-test', 'KnownPredictions', 'render-test-cells', " + CELLS.size() + ")");
            s.execute("INSERT INTO geopigeon.models (id, name, manifest, trained, geocell_set_id)"
                    + " VALUES (1, 'render-test-model', '{}', false, 1)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.geocells"
                + " (set_id, class_index, cell_id, name, admin1, country, point_count, centroid, geom)"
                + " VALUES (1, ?, ?, ?, '', 'XX', 1, ST_SetSRID(ST_MakePoint(?, ?), 4326),"
                + " ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 4326)))")) {
            for (Cell cell : CELLS) {
                ps.setInt(1, cell.classIndex());
                ps.setString(2, "cell-" + cell.classIndex());
                ps.setString(3, "Cell " + cell.classIndex());
                ps.setDouble(4, cell.centreLon());
                ps.setDouble(5, cell.centreLat());
                ps.setDouble(6, cell.west());
                ps.setDouble(7, cell.south());
                ps.setDouble(8, cell.east());
                ps.setDouble(9, cell.north());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        int top1 = CELLS.stream().filter(cell -> cell.rank() == 1).findFirst().orElseThrow().classIndex();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.predictions"
                + " (id, model_id, geocell_set_id, location, confidence, refined, top1_class_index, image_sha256,"
                + "  exif, panorama, top_k, timings)"
                + " VALUES (?, 1, 1, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, false, ?, ARRAY[?],"
                + "  CASE WHEN ?::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(?, ?), 4326) END,"
                + "  false, 5, '{}')")) {
            for (Point p : POINTS) {
                ps.setLong(1, p.predictionId());
                ps.setDouble(2, p.lon());
                ps.setDouble(3, p.lat());
                ps.setDouble(4, p.confidence());
                ps.setInt(5, top1);
                ps.setString(6, "%064d".formatted(p.predictionId()));
                ps.setObject(7, p.exifLon());
                ps.setObject(8, p.exifLon());
                ps.setObject(9, p.exifLat());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO geopigeon.prediction_cells"
                + " (prediction_id, rank, geocell_set_id, class_index, probability) VALUES (1, ?, 1, ?, ?)")) {
            for (Cell cell : CELLS) {
                ps.setInt(1, cell.rank());
                ps.setInt(2, cell.classIndex());
                ps.setDouble(3, cell.probability());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
