package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI says about where a photo's own position came from (EXIF GPS block or XMP packet, issue 8) and
 * which precision ran (issue 9), on stdout and, with {@code --store}, in PostGIS and the audit log.
 */
class LocateSeamsTest {

    private static final String BUNDLE = "../sample-data/demo-bundle";
    private static final String EXIF = Path.of("../sample-data/photos/street_with_gps.jpg").toString();
    /** Sydney, only in the XMP packet (decimal degrees with separate refs). */
    private static final String XMP = Path.of("../engine/src/test/resources/ingest/x03_xmp_decimal_with_refs.jpg")
            .toString();

    @Test
    void jsonLinesSayWhichPrecisionRanAndWhereEachPositionWasRead() throws Exception {
        Run run = run("locate", "--bundle", BUNDLE, "--precision", "int8", "--json", EXIF, XMP);
        assertEquals(0, run.exitCode, run.err);
        JsonNode[] lines = run.out.lines().map(LocateSeamsTest::json).toArray(JsonNode[]::new);
        assertEquals(2, lines.length, run.out);
        assertEquals("int8", lines[0].get("precision").asText());
        assertEquals("exif", lines[0].get("gps_source").asText());
        assertEquals("int8", lines[1].get("precision").asText());
        assertEquals("xmp", lines[1].get("gps_source").asText());
        assertEquals(-33.8568, lines[1].get("exif_gps").get("lat").asDouble(), 1e-6);
    }

    @Test
    void theTableShowsTheSourceBesideThePosition() {
        Run run = run("locate", "--bundle", BUNDLE, "--precision", "fp32", XMP);
        assertEquals(0, run.exitCode, run.err);
        String row = run.out.lines().filter(l -> l.contains("x03_")).findFirst().orElseThrow();
        assertTrue(row.contains("-33.85680,151.21530 (xmp)"), row);
    }

    @Test
    void storeRecordsThePrecisionAndTheGpsSourceInPostgisAndTheAuditLog() throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_seams");
        Run run = run("locate", "--bundle", BUNDLE, "--precision", "bf16", "--json", "--store", "--purpose",
                "check the claimed place", "--jdbc", db.jdbcUrl(), XMP);
        assertEquals(0, run.exitCode, run.err);
        JsonNode line = json(run.out.lines().findFirst().orElseThrow());
        long id = line.get("prediction_id").asLong();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.precision, p.gps_source, a.parameters->>'precision',"
                     + " a.parameters->>'interface' FROM geopigeon.predictions p JOIN geopigeon.audit_log a"
                     + " ON a.id = p.audit_id WHERE p.id = " + id)) {
            assertTrue(rs.next(), "stored prediction " + id);
            assertEquals("bf16", rs.getString(1));
            assertEquals("xmp", rs.getString(2));
            assertEquals("bf16", rs.getString(3));
            assertEquals("cli", rs.getString(4));
        }
        assertEquals("bf16", line.get("precision").asText());
        assertEquals("xmp", line.get("gps_source").asText());
    }

    @Test
    void aFolderIsCalledSoWithAndWithoutTheAuditLogAndByInspect(@TempDir Path dir) throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("cli_seams_folder");
        String expected = "is a directory, not an image file";
        Run audited = run("locate", "--bundle", BUNDLE, "--store", "--purpose", "x", "--jdbc", db.jdbcUrl(),
                dir.toString());
        Run plain = run("locate", "--bundle", BUNDLE, dir.toString());
        Run inspect = run("inspect", dir.toString());
        for (Run r : new Run[] {audited, plain, inspect}) {
            assertTrue(r.err.contains(expected) && r.err.contains(dir.toString()), r.err);
            assertFalse(r.err.contains("Is a directory"), r.err);
        }
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CliCapture.Result r = CliCapture.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }
}
