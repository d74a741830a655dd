package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code geopigeon audit verify|list} and {@code geopigeon locate --store --purpose} against a real PostGIS. */
class AuditCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static AuditEntry entry(String purpose) {
        return AuditEntry.accepted("dave", null, purpose, List.of(), Map.of(), "demo");
    }

    @Test
    void verifyPrintsOkWithTheRowCountThenNamesATamperedRow() throws SQLException {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_verify");
        AuditLog log = new AuditLog(db.dataSource());
        log.record(entry("a"));
        long tampered = log.record(entry("b"));
        log.record(entry("c"));

        Run ok = run("audit", "verify", "--jdbc", db.jdbcUrl());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("OK: audit chain intact, 3 rows", ok.out().strip());

        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE geopigeon.audit_log DISABLE TRIGGER audit_log_append_only;"
                    + " UPDATE geopigeon.audit_log SET principal = 'someone else' WHERE id = " + tampered + ";"
                    + " ALTER TABLE geopigeon.audit_log ENABLE TRIGGER audit_log_append_only");
        }
        Run broken = run("audit", "verify", "--jdbc", db.jdbcUrl());
        assertEquals(1, broken.exit());
        assertTrue(broken.out().contains("BROKEN: audit row " + tampered + ": "), broken.out());
        assertTrue(broken.out().contains("modified"), broken.out());
    }

    @Test
    void verifyWithoutAReachableDatabaseExitsThree() {
        Run r = run("audit", "verify", "--jdbc", "jdbc:postgresql://127.0.0.1:9/none?user=x");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("could not verify the audit chain"), r.err());
    }

    @Test
    void listPrintsRowsSinceADate() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_list");
        AuditLog log = new AuditLog(db.dataSource());
        log.record(entry("first purpose"));
        log.record(entry("second purpose").refused(org.geopigeon.service.store.ErrorCode.INVALID_TOP_K));
        Run all = run("audit", "list", "--jdbc", db.jdbcUrl());
        assertEquals(0, all.exit(), all.err());
        List<String> lines = all.out().lines().toList();
        assertEquals(3, lines.size(), all.out());
        assertTrue(lines.get(2).contains("refused\tINVALID_TOP_K") && lines.get(2).contains("second purpose"),
                lines.get(2));
        assertEquals(1, run("audit", "list", "--jdbc", db.jdbcUrl(), "--since", "2999-01-01").out().lines().count());
        assertEquals(2, run("audit", "list", "--since", "yesterday", "--jdbc", db.jdbcUrl()).exit());
    }

    @Test
    void locateStoreWritesOnePredictionAndAuditRowPerImageAndAuditsUndecodableFiles() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_locate");
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, (x << 16) | (y << 8) | ((x * y) & 0xFF));
            }
        }
        Path a = dir.resolve("a.png");
        ImageIO.write(img, "png", a.toFile());
        Path corrupt = dir.resolve("corrupt.jpg");
        Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01, 0x02});

        Run r = run("locate", "--bundle", "../sample-data/demo-bundle", "--store", "--purpose", "cli test",
                "--jdbc", db.jdbcUrl(), "--json", a.toString(), corrupt.toString());
        assertEquals(1, r.exit(), "one file failed: " + r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.err().contains("corrupt.jpg"), r.err());
        assertTrue(r.err().contains("stored prediction"), r.err());

        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.predictions"));
        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.audit_log WHERE outcome = 'accepted'"
                + " AND prediction_id IS NOT NULL AND parameters->>'interface' = 'cli'"));
        assertEquals(1, count(db, "SELECT count(*) FROM geopigeon.audit_log WHERE outcome = 'refused'"
                + " AND error_code = 'INVALID_IMAGE'"));
        assertEquals(0, run("audit", "verify", "--jdbc", db.jdbcUrl()).exit());
    }

    @Test
    void verifyReportsRowsWaitingInTheSpoolAndReplayWritesThemIntoTheChain() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_spool");
        Path spoolRoot = dir.resolve("spool");
        new AuditLog(db.dataSource()).record(entry("written"));
        // What a service leaves behind when the database was down: two refusals in its spool.
        try (AuditSpool spool = AuditSpool.forDatabase(spoolRoot,
                AuditTrail.databaseOf(Migrations.dataSource(db.jdbcUrl(), null, null)))) {
            spool.append(entry("spooled 1").refused(ErrorCode.INVALID_IMAGE), "test outage");
            spool.append(entry("spooled 2").refused(ErrorCode.BUSY), "test outage");
        }

        Run pending = run("audit", "verify", "--jdbc", db.jdbcUrl(), "--spool", spoolRoot.toString());
        assertEquals(4, pending.exit(), pending.out() + pending.err());
        assertTrue(pending.out().startsWith("OK: audit chain intact, 1 rows"), pending.out());
        assertTrue(pending.out().contains("PENDING: 2 audit rows") && pending.out().contains("audit replay"),
                pending.out());

        Run replay = run("audit", "replay", "--jdbc", db.jdbcUrl(), "--spool", spoolRoot.toString());
        assertEquals(0, replay.exit(), replay.out() + replay.err());
        assertTrue(replay.out().startsWith("replayed 2 spooled audit rows into the log; 0 rows still wait in"), replay.out());

        Run ok = run("audit", "verify", "--jdbc", db.jdbcUrl(), "--spool", spoolRoot.toString());
        assertEquals(0, ok.exit(), ok.out());
        assertEquals("OK: audit chain intact, 3 rows", ok.out().strip());

        List<String> lines = run("audit", "list", "--jdbc", db.jdbcUrl()).out().lines().toList();
        assertTrue(lines.get(0).endsWith("\tspooled_at"), lines.get(0));
        assertTrue(lines.get(1).endsWith("\t"), "a row written directly has no spool time: " + lines.get(1));
        assertTrue(lines.get(2).contains("spooled 1") && lines.get(2).matches(".*\t20\\d\\d-.*"), lines.get(2));
    }

    @Test
    void verifyWithTheDatabaseDownStillCountsTheSpool() throws Exception {
        Path spoolRoot = dir.resolve("spool");
        String url = "jdbc:postgresql://127.0.0.1:9/none?user=x";
        try (AuditSpool spool = AuditSpool.forDatabase(spoolRoot,
                AuditTrail.databaseOf(Migrations.dataSource(url, null, null)))) {
            spool.append(entry("while down").refused(ErrorCode.STORE_FAILED), "test outage");
        }
        Run r = run("audit", "verify", "--jdbc", url, "--spool", spoolRoot.toString());
        assertEquals(3, r.exit());
        assertTrue(r.out().contains("SPOOLED: the local spool") && r.out().contains("holds 1 audit rows"), r.out());
    }

    @Test
    void locateStoreWithoutPurposeIsAUsageError() throws Exception {
        Path a = dir.resolve("a.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", a.toFile());
        Run r = run("locate", "--bundle", "../sample-data/demo-bundle", "--store", "--jdbc",
                "jdbc:postgresql://127.0.0.1:9/x", a.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--purpose"), r.err());
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
