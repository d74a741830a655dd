package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial 2 findings: database configuration errors are said once, in user words, the same way by every command.
 * An application login run with the default {@code GEOPIGEON_JDBC_MIGRATE=true} printed a 700-character
 * "database unavailable ... local audit spool" line per image and audited STORE_FAILED; {@code audit verify} on a
 * database that does not exist said only "database error". Against a real throwaway PostGIS.
 */
class DatabaseConfigErrorsTest {

    private static final String SPOOL_PROPERTY = "geopigeon.audit.spoolDir";

    @TempDir
    Path dir;

    private SystemProperty spool;

    @BeforeEach
    void setUp() {
        spool = SystemProperty.set(SPOOL_PROPERTY, dir.resolve("spool").toString());
    }

    @AfterEach
    void restore() {
        spool.close();
    }

    @Test
    void anApplicationLoginThatMayNotMigrateStopsTheRunOnceBeforeTheModelLoads() throws IOException, SQLException {
        TestDatabase owner = ThrowawayPostgis.get().createMigratedDatabase("cli_app_migrate");
        String login = "app_" + owner.name().replaceAll("[^a-z0-9_]", "");
        try (Connection c = owner.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN IN ROLE geopigeon_app");
        }
        String appUrl = owner.jdbcUrl().replaceAll("user=[^&]*", "user=" + login);
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        TrainCommandTest.writePng(a, 1);
        TrainCommandTest.writePng(b, 2);

        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--store", "--purpose", "config test", "--jdbc", appUrl, a.toString(), b.toString());

        assertEquals(2, r.exitCode(), "a configuration error, as --help says: " + r.err());
        assertEquals(1, r.err().split("GEOPIGEON_JDBC_MIGRATE=false", -1).length - 1, "said once: " + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertFalse(r.err().contains("unavailable") || r.err().contains("spool") || r.err().contains("replayed"),
                "not reported as a database outage: " + r.err());
        assertFalse(r.err().contains("backbone:") || r.err().contains(a.toString()), "stops before the model and"
                + " the images: " + r.err());
        try (Connection c = owner.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM geopigeon.audit_log")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no request was made, so no STORE_FAILED rows");
        }
    }

    @Test
    void auditVerifyNamesAMissingDatabaseAsServeDoes() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_nodb");
        String missing = db.jdbcUrl().replace("/" + db.name() + "?", "/nodb_" + db.name() + "?");
        TrainCommandTest.Run r = TrainCommandTest.run("audit", "verify", "--jdbc", missing, "--spool",
                dir.resolve("spool").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("the database named in the JDBC URL does not exist"), r.err());
        assertFalse(r.err().contains("3D000") || r.err().contains("SQL") || r.err().contains("Exception"), r.err());
    }

    @Test
    void connectionRefusedIsNamedInUserWords() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        TrainCommandTest.Run r = TrainCommandTest.run("audit", "verify", "--jdbc",
                "jdbc:postgresql://127.0.0.1:" + port + "/gis?user=x&connectTimeout=2", "--spool",
                dir.resolve("spool").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("PSQL") || r.err().contains(String.valueOf(port))
                || r.err().contains("08001"), "no driver text: " + r.err());
    }
}
