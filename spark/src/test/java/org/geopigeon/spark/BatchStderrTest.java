package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial 2: {@code ./geopigeon batch} as an application login with the default {@code GEOPIGEON_JDBC_MIGRATE=true}
 * printed a {@code WARN StoreException ... FlywaySqlException ... SQL State : 42501} line on stderr before its clean
 * error. Runs {@link BatchCli#main} in a JVM of its own with the launcher's log4j2 configuration, against a real
 * throwaway PostGIS: stderr holds the clean error, the details go to the log file the run names, and
 * {@code --verbose} shows them on stderr.
 */
class BatchStderrTest {

    @TempDir
    Path dir;

    @Test
    void theServiceLogStaysOffStderrUnlessVerbose() throws Exception {
        TestDatabase owner = ThrowawayPostgis.get().createMigratedDatabase("batch_stderr");
        String login = "app_" + owner.name().replaceAll("[^a-z0-9_]", "");
        try (Connection c = owner.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + login + " LOGIN IN ROLE geopigeon_app");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        String appUrl = owner.jdbcUrl().replaceAll("user=[^&]*", "user=" + login);
        Path log = dir.resolve("batch.log");

        Result quiet = batch(log, "--master", "local[1]", "--input", TestInputs.samplePhotos().toString(), "--out",
                dir.resolve("out").toString(), "--purpose", "stderr test", "--jdbc", appUrl, "--bundle",
                TestInputs.demoBundle().toString(), "--conf", "spark.ui.enabled=false");
        assertEquals(1, quiet.code, quiet.err);
        assertTrue(quiet.err.contains("GEOPIGEON_JDBC_MIGRATE=false"), quiet.err);
        assertFalse(quiet.err.contains("StoreException") || quiet.err.contains("Flyway")
                || quiet.err.contains("42501"), "no library lines on stderr: " + quiet.err);
        assertTrue(quiet.err.contains("details of the problems above (incident ids, causes) are in " + log), quiet.err);
        assertTrue(Files.readString(log).contains("42501"), "the detail is in the file");

        Result verbose = batch(dir.resolve("v.log"), "--verbose", "--master", "local[1]", "--input",
                TestInputs.samplePhotos().toString(), "--out", dir.resolve("out2").toString(), "--purpose",
                "stderr test", "--jdbc", appUrl, "--bundle", TestInputs.demoBundle().toString(), "--conf",
                "spark.ui.enabled=false");
        assertEquals(1, verbose.code, verbose.err);
        assertTrue(verbose.err.contains("42501"), "--verbose shows the log: " + verbose.err);
    }

    private record Result(int code, String err) {
    }

    private Result batch(Path logFile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvm = System.getProperty("spark.jvm.options", "");
        cmd.addAll(Arrays.stream(jvm.trim().split("\\s+")).filter(a -> !a.isBlank()).toList());
        cmd.addAll(List.of("-Dlog4j2.configurationFile=geopigeon-batch-log4j2.properties", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), BatchCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("GEOPIGEON_LOG_FILE", logFile.toString());
        pb.environment().remove("GEOPIGEON_JDBC_MIGRATE");
        Path err = dir.resolve("stderr.txt");
        pb.redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "batch finished");
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
