package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void createsTheSchemaAndIsIdempotent() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabase("migrations");
        String version = Migrations.apply(db.dataSource());
        assertEquals(String.valueOf(highestMigration()), version, "schema version = highest sql/V*.sql version");
        assertEquals(version, Migrations.apply(db.dataSource()), "second run applies nothing");

        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"geocell_sets", "geocells", "models", "predictions",
                    "prediction_cells", "audit_log"}) {
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('geopigeon." + table + "') IS NOT NULL")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "table geopigeon." + table + " exists");
                }
            }
        }
    }

    @Test
    void viewsPublishTypedGeometryColumnsForGeoServerAndQgis() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("views");
        Map<String, String> types = new HashMap<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT f_table_name, f_geometry_column, type, srid FROM geometry_columns"
                     + " WHERE f_table_schema = 'geopigeon'")) {
            while (rs.next()) {
                types.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3) + ":" + rs.getInt(4));
            }
        }
        assertEquals("MULTIPOLYGON:4326", types.get("predicted_cells.geom"));
        assertEquals("POINT:4326", types.get("predicted_points.geom"));
        assertEquals("POINT:4326", types.get("predicted_points.exif_geom"));
        assertEquals("MULTILINESTRING:4326", types.get("predicted_points.error_line"));
        assertEquals("MULTIPOLYGON:4326", types.get("geocells.geom"));
        assertEquals("POINT:4326", types.get("predictions.location"));
        // Every geometry column of every table and view: a type and SRID 4326, never GEOMETRY/0.
        types.forEach((column, typeAndSrid) -> {
            assertTrue(typeAndSrid.endsWith(":4326") && !typeAndSrid.startsWith("GEOMETRY:"),
                    column + " is " + typeAndSrid);
        });
        assertEquals(8, types.size(), "geometry columns: " + types);
    }

    @Test
    void predictedPointsKeepsV6sColumnsAndGainsPrecisionAndGpsSourceAtTheEnd() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("points_columns");
        List<String> columns = new java.util.ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema ="
                     + " 'geopigeon' AND table_name = 'predicted_points' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        assertEquals(List.of("fid", "prediction_id", "confidence", "refined", "panorama", "top_k", "created", "model",
                "top1_cell_id", "top1_cell_name", "top1_country", "exif_distance_km", "geom", "exif_geom",
                "error_line", "precision", "gps_source"), columns, "layers published from V6's view keep working");
    }

    @Test
    void theAuditLogSaysWhichWritersKeyTheirRows() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("audit_comments");
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT col_description('geopigeon.audit_log'::regclass, attnum) FROM"
                     + " pg_attribute WHERE attrelid = 'geopigeon.audit_log'::regclass AND attname = 'request_key'")) {
            rs.next();
            String comment = rs.getString(1);
            assertTrue(comment.contains("Spark batch job") && comment.contains("accepted ones included")
                    && comment.contains("spool"), comment);
        }
    }

    @Test
    void scriptsRunByHandInVersionOrderThenFlywayBaselinesOverThem() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabase("byhand");
        Path sql = sqlFolder();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (Path f : SqlFiles.inVersionOrder(sql)) {
                s.execute(Files.readString(f));
            }
        }
        String version = Migrations.apply(db.dataSource());
        assertEquals(String.valueOf(highestMigration()), version);
    }

    static Path sqlFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sql")) && Files.isDirectory(dir.resolve("wps-process"))) {
                return dir.resolve("sql");
            }
        }
        throw new IllegalStateException("sql/ folder of the source tree not found above " + Path.of("").toAbsolutePath());
    }

    /** Version numbers are reserved per branch (docs/architecture.md), so there may be gaps. */
    private static int highestMigration() throws Exception {
        List<Path> files = SqlFiles.inVersionOrder(sqlFolder());
        String last = files.get(files.size() - 1).getFileName().toString();
        return Integer.parseInt(last.substring(1, last.indexOf("__")));
    }
}
