package org.geopigeon.service.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The install path of docs/postgis.md, followed as a new user would: an empty database with or without
 * PostGIS, the schema applied by Flyway from Java or by psql by hand, then used through a login in the
 * application role {@code geopigeon_app}, which is how the service runs.
 */
class FreshDatabaseInstallTest {

    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");
    private static final AtomicInteger LOGINS = new AtomicInteger();

    private static GeocellSet cells;
    private static BundleManifest manifest;

    @BeforeAll
    static void demo() {
        cells = DemoData.geocells();
        manifest = DemoData.manifest();
    }

    @Test
    void flywayOnADatabaseWithoutPostgisInstallsItInPublicAndTheApplicationRoleCanWork() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabaseWithoutPostgis("fresh_flyway");
        assertEquals(null, postgisSchema(db), "the test starts without PostGIS");

        assertEquals(latestVersion(), Migrations.apply(db.dataSource()));

        assertEquals("public", postgisSchema(db), "PostGIS lands in public, on everybody's search_path");
        useAsApplicationRole(db);
    }

    @Test
    void flywayOnADatabaseWithPostgisAlreadyInstalled() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabase("fresh_flyway_postgis");
        assertEquals("public", postgisSchema(db));

        ServerLog log = ServerLog.capture();
        try {
            assertEquals(latestVersion(), Migrations.apply(db.dataSource()));
        } finally {
            log.stop();
        }
        // The scripts' IF NOT EXISTS on an existing extension and schema used to be logged by Flyway as WARN
        // ("DB: extension "postgis" already exists, skipping") on every first migration.
        assertEquals("", log.lineWith("already exists"), "no NOTICE noise: " + log.text());
        assertEquals("", log.lineWith("WARN"), "a clean first migration logs no warning: " + log.text());
        useAsApplicationRole(db);
    }

    @Test
    void theApplicationLoginWithMigrateLeftOnIsToldToTurnItOff() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("fresh_app_migrate");
        String login = "gp_app_" + LOGINS.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'secret' IN ROLE geopigeon_app");
        }
        DataSource app = db.asUser(login, "secret").dataSource();

        StoreException e = assertThrows(StoreException.class, () -> Migrations.apply(app));

        String m = e.getMessage();
        assertTrue(m.contains("GEOPIGEON_JDBC_MIGRATE=false") && m.contains("geopigeon.jdbc.migrate=false"), m);
        assertTrue(m.contains("docs/postgis.md") && m.contains("incident " + e.incidentId()), m);
        for (String internal : List.of("flyway", "Flyway", "SQL State", "42501", "schema_history", "SELECT", "LOCK",
                "Exception", "org.")) {
            assertFalse(m.contains(internal), "no Flyway or SQL internals (" + internal + "): " + m);
        }
        // With migrate off, the same login does its work (useAsApplicationRole checks the rest).
        useAsApplicationRole(db);
    }

    @Test
    void psqlByHandOnADatabaseWithoutPostgisThenFlywayTakesOver() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabaseWithoutPostgis("fresh_psql");
        runScriptsWithPsql(db);

        assertEquals("public", postgisSchema(db));
        useAsApplicationRole(db);
        assertEquals(latestVersion(), Migrations.apply(db.dataSource()), "Flyway baselines over the hand-made schema");
        useAsApplicationRole(db);
    }

    @Test
    void psqlByHandOnADatabaseWithPostgisAlreadyInstalled() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabase("fresh_psql_postgis");
        runScriptsWithPsql(db);
        useAsApplicationRole(db);
    }

    @Test
    void aDatabaseOwnerWithoutSuperuserRightsIsToldToAskForPostgisThenMigrates() throws Exception {
        ThrowawayPostgis server = ThrowawayPostgis.get();
        TestDatabase db = server.createDatabaseWithoutPostgis("fresh_owner");
        String owner = "gp_owner_" + LOGINS.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = new TestDatabase(server.adminUrl()).connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN CREATEROLE");
            s.execute("ALTER DATABASE " + db.name() + " OWNER TO " + owner);
        }
        TestDatabase asOwner = db.asUser(owner, null);

        StoreException e = assertThrows(StoreException.class, () -> Migrations.apply(asOwner.dataSource()));
        assertTrue(e.getMessage().contains("CREATE EXTENSION postgis") && e.getMessage().contains(owner)
                && e.getMessage().contains("superuser"), e.getMessage());
        assertFalse(e.getMessage().toLowerCase().contains("permission denied to create extension"),
                "the driver's text stays in the server log: " + e.getMessage());

        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION postgis SCHEMA public"); // what the message asks a superuser to do
        }
        assertEquals(latestVersion(), Migrations.apply(asOwner.dataSource()));
        useAsApplicationRole(db);
    }

    @Test
    void postgisInASchemaOffTheSearchPathIsNamedBeforeAnythingIsCreated() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createDatabaseWithoutPostgis("fresh_elsewhere");
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA gis_ext");
            s.execute("CREATE EXTENSION postgis SCHEMA gis_ext");
        }
        StoreException e = assertThrows(StoreException.class, () -> Migrations.apply(db.dataSource()));
        assertTrue(e.getMessage().contains("gis_ext") && e.getMessage().contains("search_path"), e.getMessage());
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regnamespace('geopigeon') IS NULL")) {
            rs.next();
            assertTrue(rs.getBoolean(1), "nothing half-created");
        }
    }

    /**
     * What the service does with a least-privilege login (docs/postgis.md, Roles): register the model, store
     * a prediction with its audit row, audit a refusal, verify the chain, read both layer views.
     */
    private static void useAsApplicationRole(TestDatabase db) throws SQLException {
        String login = "gp_app_" + LOGINS.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'secret' IN ROLE geopigeon_app");
        }
        DataSource app = db.asUser(login, "secret").dataSource();
        PredictionStore store = new PredictionStore(app);
        RegisteredModel model = store.register(manifest, cells, "fresh install test");
        LatLon exif = new LatLon(48.8566, 2.3522);
        Prediction p = DemoData.prediction(cells, manifest.name(), 1, 3, exif);
        StoredPrediction stored = store.store(model, AuditEntry.accepted(login, "127.0.0.1", "install check",
                List.of("ab".repeat(32)), Map.of("topK", 3), manifest.name()), p, 3);
        AuditLog log = new AuditLog(app);
        log.record(AuditEntry.accepted(login, null, "", List.of(), Map.of(), null).refused(ErrorCode.INVALID_PURPOSE));
        assertTrue(log.verify().intact());

        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT exif_distance_km, ST_AsText(geom), GeometryType(error_line)"
                    + " FROM geopigeon.predicted_points WHERE prediction_id = " + stored.predictionId())) {
                assertTrue(rs.next(), "the stored prediction is in predicted_points");
                assertEquals(Haversine.km(p.location(), exif), rs.getDouble(1), 0.001);
                assertEquals("MULTILINESTRING", rs.getString(3));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM geopigeon.predicted_cells WHERE prediction_id = "
                    + stored.predictionId())) {
                rs.next();
                assertEquals(3, rs.getInt(1));
            }
        }
    }

    /** The loop of docs/postgis.md, run with the real psql binary. */
    private static void runScriptsWithPsql(TestDatabase db) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PSQL), "psql not installed at " + PSQL);
        for (Path f : SqlFiles.inVersionOrder(MigrationsTest.sqlFolder())) {
            List<String> cmd = new ArrayList<>(List.of(PSQL.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-h", db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f", f.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (db.password() != null) {
                pb.environment().put("PGPASSWORD", db.password());
            }
            Process proc = pb.start();
            String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "psql timed out on " + f);
            assertEquals(0, proc.exitValue(), "psql -f " + f.getFileName() + ":\n" + output);
        }
    }

    private static String postgisSchema(TestDatabase db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extnamespace::regnamespace::text FROM pg_extension"
                     + " WHERE extname = 'postgis'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String latestVersion() throws IOException {
        List<Path> files = SqlFiles.inVersionOrder(MigrationsTest.sqlFolder());
        String n = files.get(files.size() - 1).getFileName().toString();
        return n.substring(1, n.indexOf("__"));
    }
}
