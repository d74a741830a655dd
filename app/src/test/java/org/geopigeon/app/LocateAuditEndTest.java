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
import java.util.List;
import java.util.Map;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an audited {@code locate} run ends (trial findings): refusals spooled while the database was down are replayed
 * into the chain before the command returns when the database is back, and when they cannot be the run says how many
 * wait and to run {@code geopigeon audit replay}; usage errors of --store/--purpose come before the model is loaded.
 * Against a real throwaway PostGIS.
 */
class LocateAuditEndTest {

    private static final String SPOOL_PROPERTY = "geopigeon.audit.spoolDir";

    @TempDir
    Path dir;

    private Path photo;
    private Path spoolRoot;
    private SystemProperty spool;

    @BeforeEach
    void setUp() throws IOException {
        photo = dir.resolve("photo.png");
        TrainCommandTest.writePng(photo, 3);
        spoolRoot = dir.resolve("spool");
        spool = SystemProperty.set(SPOOL_PROPERTY, spoolRoot.toString());
    }

    @AfterEach
    void restore() {
        spool.close();
    }

    @Test
    void rowsSpooledEarlierAreInTheChainWhenTheRunEnds() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_locate_spool");
        // What an earlier run left while the database was down: two refusals in the spool.
        try (AuditSpool spool = AuditSpool.forDatabase(spoolRoot,
                AuditTrail.databaseOf(Migrations.dataSource(db.jdbcUrl(), null, null)))) {
            spool.append(AuditEntry.accepted("dave", null, "p", List.of(), Map.of(), "demo")
                    .refused(ErrorCode.STORE_FAILED), "test outage");
            spool.append(AuditEntry.accepted("dave", null, "p", List.of(), Map.of(), "demo")
                    .refused(ErrorCode.STORE_FAILED), "test outage");
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--purpose", "spool test", "--jdbc", db.jdbcUrl(), photo.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("wait in the local spool"), r.err());
        TrainCommandTest.Run verify = TrainCommandTest.run("audit", "verify", "--jdbc", db.jdbcUrl(), "--spool",
                spoolRoot.toString());
        assertEquals(0, verify.exitCode(), "nothing left in the spool: " + verify.out() + verify.err());
        assertEquals(3, new AuditLog(db.dataSource()).list(null, 10).size(), "2 replayed rows + this run's row");
        // The CLI declares what the file's bytes are, so the audit row does not say "none" for a PNG.
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT parameters->>'media_types' FROM geopigeon.audit_log WHERE purpose = 'spool test'")) {
            assertTrue(rs.next());
            assertEquals("[\"image/png\"]", rs.getString(1).replace(" ", ""));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void storedExifPositionsCarryNoFloatNoise() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_exif_noise");
        Path antimeridian = Path.of("../engine/src/test/resources/ingest/o02_antimeridian_east.jpg");
        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--store", "--purpose", "noise test", "--jdbc", db.jdbcUrl(), antimeridian.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT ST_AsText(exif_geom), ST_AsText(error_line) FROM geopigeon.predicted_points")) {
            assertTrue(rs.next());
            assertEquals("POINT(179.99 -16.1)", rs.getString(1), "7 decimals at most, as inspect shows it");
            assertFalse(rs.getString(2).matches(".*\\d\\.\\d{9,}.*"), rs.getString(2));
        }
    }

    @Test
    void rowsThatCannotBeReplayedAreCountedWithTheCommandThatReplaysThem() {
        String down = "jdbc:postgresql://127.0.0.1:9/none?user=x&connectTimeout=2";
        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--purpose", "outage test", "--jdbc", down, photo.toString());

        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: 1 audit row of refused or failed requests wait in the local spool "
                + spoolRoot), r.err());
        assertTrue(r.err().contains("run 'geopigeon audit replay' once the database takes writes"), r.err());
    }

    @Test
    void storeWithoutPurposeOrDatabaseIsAUsageErrorBeforeTheModelLoads() {
        TrainCommandTest.Run noPurpose = TrainCommandTest.run("locate", "--bundle",
                TrainCommandTest.BUNDLE.toString(), "--store", photo.toString());
        assertEquals(2, noPurpose.exitCode(), noPurpose.err());
        assertTrue(noPurpose.err().contains("--store needs --purpose TEXT"), noPurpose.err());
        assertFalse(noPurpose.err().contains("backbone:"), "no model loaded first: " + noPurpose.err());

        Assumptions.assumeTrue(System.getenv("GEOPIGEON_JDBC_URL") == null, "GEOPIGEON_JDBC_URL is set here");
        TrainCommandTest.Run noDb = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--store", "--purpose", "x", photo.toString());
        assertEquals(2, noDb.exitCode(), noDb.err());
        assertTrue(noDb.err().contains("need a database"), noDb.err());
        assertFalse(noDb.err().contains("backbone:"), "no model loaded first: " + noDb.err());
    }
}
