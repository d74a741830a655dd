package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.ChainStatus;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch locate in local mode ({@code local[2]}, up to 4 attempts per task so retries can be shown):
 * the job's answers are the CLI's, bad files are rows with reasons, and every image has exactly one
 * audit row, also after a task failed half-way and was retried.
 */
class BatchLocateJobTest {

    private static SparkSession spark;
    private static TestDatabase db;
    private static Path badFiles;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        db = ThrowawayPostgis.get().createMigratedDatabase("spark_batch");
        badFiles = tmp.resolve("bad");
        TestInputs.writeBadFiles(badFiles);
        // binaryFile.maxLength below huge.jpg: if the job read that file's bytes, its task would fail.
        spark = SparkSessions.create("geopigeon-test", "local[2,4]", Map.of("spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2",
                "spark.sql.sources.binaryFile.maxLength", String.valueOf(TestInputs.MAX_BYTES)));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static BatchSettings settings(String jobId) {
        return settings(jobId, "fp32");
    }

    private static BatchSettings settings(String jobId, String precision) {
        return new BatchSettings(jobId, "test: archive triage", "analyst-7", "tester", "127.0.0.1",
                BundleRef.shared(TestInputs.demoBundle()), precision, null, null, TestInputs.MAX_BYTES, 80_000_000L,
                new JdbcTarget(db.jdbcUrl(), null, null), null, null);
    }

    private static BatchLocateJob.Spec spec(List<String> inputs, Path out, boolean ship, boolean store) {
        return new BatchLocateJob.Spec(inputs, false, out.toString(), TestInputs.demoBundle(), ship, store, true);
    }

    private static List<Row> output(Path out) {
        return spark.read().parquet(out.toString()).orderBy("path").collectAsList();
    }

    private static Path local(Row r) {
        return Path.of(new org.apache.hadoop.fs.Path((String) r.getAs("path")).toUri());
    }

    @Test
    void everyImageGetsTheCliAnswerAndBadFilesAreRowsWithReasons() throws Exception {
        // An XMP-only position (issue 8): the row says where the position was read.
        Path xmpDir = Files.createDirectories(tmp.resolve("xmp"));
        Files.copy(Path.of("../engine/src/test/resources/ingest/x03_xmp_decimal_with_refs.jpg"),
                xmpDir.resolve("sydney_xmp_only.jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> inputs = new ArrayList<>(List.of(TestInputs.samplePhotos().toString(), badFiles.toString(),
                xmpDir.toString()));
        Path shared = TestInputs.sharedPhotos();
        if (shared != null) {
            inputs.add(shared.toString());
        }
        Path out = tmp.resolve("located");
        String job = "job-" + UUID.randomUUID();
        int loadsBefore = ExecutorModels.loadCount();
        List<String> progress = new ArrayList<>();

        BatchSummary summary = new BatchLocateJob(spark, progress::add).run(spec(inputs, out, false, true), settings(job));

        assertTrue(ExecutorModels.loadCount() - loadsBefore <= 1, "one model load per JVM, not one per task");
        List<Row> rows = output(out);
        long files = inputs.stream().mapToLong(BatchLocateJobTest::countFiles).sum();
        assertEquals(files, rows.size(), () -> "one row per input file; rows for " + rows.stream()
                .map(r -> local(r).getFileName().toString()).sorted().toList());
        assertEquals(files, summary.images());
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("partition ")), progress::toString);

        // Bad files: a row each, with the decoder's reason, no estimate, and an audit row.
        Map<String, Row> byName = new HashMap<>();
        rows.forEach(r -> byName.put(local(r).getFileName().toString(), r));
        Map<String, String> expected = Map.of("empty.jpg", "EMPTY", "truncated.jpg", "TRUNCATED",
                "notes.txt", "UNSUPPORTED_FORMAT", "huge.jpg", "TOO_LARGE", "tiny.png", "TOO_SMALL");
        expected.forEach((name, code) -> {
            Row r = byName.get(name);
            assertEquals(code, r.getAs("error_code"), name);
            assertFalse(((String) r.getAs("error_reason")).isBlank(), name);
            assertNull(r.getAs("lat"), name);
            assertNull(r.getAs("geometry"), name);
        });
        assertTrue(((String) byName.get("huge.jpg").getAs("error_reason")).contains("not read"));
        expected.forEach((name, code) -> assertTrue(summary.failuresByReason().get(code) >= 1, code));

        // Located images: estimate, cells and confidence equal `geopigeon locate --json` on the same file.
        List<Row> located = rows.stream().filter(r -> r.getAs("error_code") == null).toList();
        assertTrue(located.size() >= 7, "the sample photos are all located");
        List<Path> paths = located.stream().map(BatchLocateJobTest::local).toList();
        // The CLI's audited path (--purpose): one request per image, and the answer carries the pixel hash.
        Map<String, JsonNode> cli = CliJson.locate(TestInputs.demoBundle(), paths, "--purpose", "test: same answer",
                "--jdbc", db.jdbcUrl(), "--precision", "fp32");
        assertEquals(located.size(), cli.size(), "the CLI locates the same files");
        for (Row r : located) {
            Path file = local(r);
            JsonNode c = cli.get(file.toString());
            assertNotNull(c, file.toString());
            assertEquals(c.get("lat").asDouble(), (double) r.getAs("lat"), file + " lat");
            assertEquals(c.get("lon").asDouble(), (double) r.getAs("lon"), file + " lon");
            assertEquals(c.get("refined").asBoolean(), (boolean) r.getAs("refined"), file + " refined");
            assertEquals(c.get("confidence").asDouble(), (double) r.getAs("confidence"), file + " confidence");
            assertEquals(c.get("model").asText(), r.getAs("model"));
            List<Row> cells = r.getList(r.fieldIndex("top_cells"));
            assertEquals(c.get("top_cells").size(), cells.size(), file + " cells");
            for (int i = 0; i < cells.size(); i++) {
                JsonNode cc = c.get("top_cells").get(i);
                assertEquals(cc.get("rank").asInt(), cells.get(i).getInt(0));
                assertEquals(cc.get("cell_id").asText(), cells.get(i).getString(1), file + " cell " + i);
                assertEquals(cc.get("probability").asDouble(), cells.get(i).getDouble(5), file + " p " + i);
            }
            JsonNode exif = c.get("exif_gps");
            if (exif.isNull()) {
                assertNull(r.getAs("exif_lat"), file + " exif");
            } else {
                assertEquals(exif.get("lat").asDouble(), (double) r.getAs("exif_lat"), file + " exif lat");
                assertEquals(exif.get("lon").asDouble(), (double) r.getAs("exif_lon"), file + " exif lon");
                assertEquals(c.get("exif_distance_km").asDouble(), (double) r.getAs("exif_distance_km"), file + " km");
            }
            assertEquals(c.get("gps_source").isNull() ? null : c.get("gps_source").asText(), r.getAs("gps_source"),
                    file + " gps source");
            assertEquals("fp32", c.get("precision").asText(), file + " CLI precision");
            assertEquals("fp32", r.getAs("precision"), file + " the row carries the precision that ran");
            assertEquals(c.get("image_sha256").get(0).asText(), r.getAs("pixel_sha256"), file + " pixel hash");
            assertEquals(c.get("top_k").asInt(), (int) r.getAs("top_k"), file + " top_k");
            assertEquals(c.get("trained").asBoolean(), (boolean) r.getAs("trained"));
            assertNotNull(r.getAs("geometry"), file + " geometry");
            assertNotNull(r.getAs("prediction_id"), file + " stored");
        }

        Row sydney = byName.get("sydney_xmp_only.jpg");
        assertEquals("xmp", sydney.getAs("gps_source"));
        assertEquals(-33.8568, (double) sydney.getAs("exif_lat"), 1e-6);
        assertTrue(located.stream().anyMatch(r -> "exif".equals(r.getAs("gps_source"))), "EXIF positions say so");

        // Audit: one row per file, carrying the pixel hash, and the chain verifies.
        Map<Long, List<String>> audit = auditRows(job);
        assertEquals(files, audit.size(), "one audit row per input file");
        for (Row r : rows) {
            List<String> hashes = audit.get((Long) r.getAs("audit_id"));
            assertNotNull(hashes, "audit row of " + r.getAs("path"));
            String pixel = r.getAs("pixel_sha256");
            assertEquals(pixel == null ? List.of() : List.of(pixel), hashes, "audit image hash of " + r.getAs("path"));
        }
        ChainStatus chain = new AuditLog(db.dataSource()).verify();
        assertTrue(chain.intact(), chain::toString);

        assertGeoParquetMetadata(out);
    }

    @Test
    void aTaskThatFailsAfterWritingAuditRowsIsRetriedWithoutDuplicateOrMissingRows() throws Exception {
        Path out = tmp.resolve("retried");
        String job = "job-" + UUID.randomUUID();
        // Fail the first attempt of every task right after its first batch's audit rows were committed.
        PartitionHook failFirstAttempt = (partition, attempt, batch, images) -> {
            if (attempt == 0 && batch == 0) {
                throw new IllegalStateException("injected failure after the audited batch of partition " + partition);
            }
        };
        List<String> inputs = List.of(TestInputs.samplePhotos().toString(), badFiles.toString());
        List<String> progress = new ArrayList<>();

        BatchSummary summary = new BatchLocateJob(spark, progress::add)
                .run(spec(inputs, out, true, false), settings(job, "int8").withHook(failFirstAttempt));

        long files = inputs.stream().mapToLong(BatchLocateJobTest::countFiles).sum();
        assertTrue(summary.failedAttempts() >= 1, "the injected failure happened: " + progress);
        assertTrue(summary.auditRowsReused() >= 1, "the retry found the failed attempt's audit rows");
        assertTrue(progress.stream().anyMatch(l -> l.contains("failed") && l.contains("retries")), progress::toString);
        List<Row> rows = output(out);
        assertEquals(files, rows.size());
        // Trial 2: progress ended at "12 images so far" while the summary said 14 (files not read came later).
        assertTrue(progress.get(progress.size() - 1).endsWith("; " + files + " images in all"), progress::toString);
        Map<Long, List<String>> audit = auditRows(job);
        assertEquals(files, audit.size(), "no duplicate and no missing audit row after the retry");
        assertEquals(files, rows.stream().map(r -> (Long) r.getAs("audit_id")).distinct().count());
        rows.forEach(r -> assertTrue(audit.containsKey((Long) r.getAs("audit_id"))));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
        // --precision int8: ModelBundle.load(dir, choice) on the executors; every row and audit row says what ran.
        rows.forEach(r -> assertEquals("int8", r.getAs("precision"), () -> "precision of " + r.getAs("path")));
        assertEquals(files, countSql("SELECT count(*) FROM geopigeon.audit_log WHERE parameters->>'job' = '" + job
                + "' AND parameters->>'precision' = 'int8'"));
    }

    private static long countSql(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void refusesAnExistingOutputAndAMissingPurposeBeforeAnyWork(@TempDir Path dir) {
        BatchException e = assertThrows(BatchException.class, () -> new BatchLocateJob(spark, null)
                .run(spec(List.of(TestInputs.samplePhotos().toString()), dir, false, false), settings("job-x")));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> new BatchSettings("j", " ",
                "a", null, null, BundleRef.shared(dir), "fp32", null, null, 1, 1, new JdbcTarget("jdbc:x", null, null),
                null, null));
        assertTrue(p.getMessage().contains("purpose"), p.getMessage());
        // A missing input is one clean line before the database and the model (trial finding: the model loaded
        // first, then an 86-line Spark trace): the job id's settings point at a database that does not exist.
        int loadsBefore = ExecutorModels.loadCount();
        String nothing = dir.resolve("nothing-here").toString();
        BatchSettings unreachable = new BatchSettings("job-y", "p", "a", null, null, BundleRef.shared(dir), "fp32",
                null, null, 1000, 1000, new JdbcTarget("jdbc:postgresql://127.0.0.1:9/none?connectTimeout=2", null,
                null), null, null);
        BatchException missing = assertThrows(BatchException.class, () -> new BatchLocateJob(spark, null).run(
                spec(List.of(nothing), dir.resolve("o"), false, false), unreachable));
        assertEquals("input " + nothing + " does not exist or matches no file", missing.getMessage());
        assertEquals(loadsBefore, ExecutorModels.loadCount(), "no model loaded");
        // Fail closed: no reachable audit database, no job (port 9 on loopback: nothing listens).
        BatchSettings noDb = new BatchSettings("job-z", "p", "a", null, null, BundleRef.shared(dir), "fp32", null,
                null, 1000, 1000, new JdbcTarget("jdbc:postgresql://127.0.0.1:9/none?connectTimeout=2", null, null),
                null, null);
        BatchException db = assertThrows(BatchException.class, () -> new BatchLocateJob(spark, null).run(
                spec(List.of(TestInputs.samplePhotos().toString()), dir.resolve("o2"), false, false), noDb));
        assertTrue(db.getMessage().contains("cannot prepare the audit database"), db.getMessage());
        assertTrue(db.getMessage().contains("connection refused"), "the cause in the words of every command: "
                + db.getMessage());
        assertFalse(db.getMessage().contains("Exception"), db.getMessage());
        assertFalse(Files.exists(dir.resolve("o2")), "nothing written");
    }

    /**
     * Every part file carries the {@code geo} metadata; a file without a single geometry (the second pass's EMPTY and
     * TOO_LARGE rows) declares no bbox rather than Sedona's [0, 0, 0, 0] (Null Island), as GeoParquet 1.1 allows.
     */
    private static void assertGeoParquetMetadata(Path out) throws IOException {
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith("_")).toList();
        }
        int withoutGeometry = 0;
        for (Path part : parts) {
            String geo;
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
                geo = reader.getFooter().getFileMetaData().getKeyValueMetaData().get("geo");
            }
            assertNotNull(geo, "GeoParquet 'geo' metadata in " + part);
            JsonNode m = new ObjectMapper().readTree(geo);
            assertEquals("geometry", m.get("primary_column").asText());
            JsonNode col = m.get("columns").get("geometry");
            assertEquals("WKB", col.get("encoding").asText());
            assertEquals("EPSG", col.get("crs").get("id").get("authority").asText(), geo);
            assertEquals(4326, col.get("crs").get("id").get("code").asInt(), geo);
            if (col.get("geometry_types").isEmpty()) {
                withoutGeometry++;
                assertFalse(col.has("bbox"), "no bbox without a geometry: " + part + ": " + geo);
            } else {
                assertFalse(col.get("bbox").toString().equals("[0.0,0.0,0.0,0.0]"), geo);
            }
        }
        assertTrue(withoutGeometry >= 1, "the second pass (empty.jpg, huge.jpg) wrote a part file without geometry");
        assertEquals(parts.size(), spark.read().parquet(out.toString()).inputFiles().length, "all parts still read");
    }

    private static Map<Long, List<String>> auditRows(String job) throws SQLException {
        Map<Long, List<String>> rows = new HashMap<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, image_sha256 FROM geopigeon.audit_log WHERE parameters->>'job' = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        return rows;
    }

    private static long countFiles(String dir) {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
