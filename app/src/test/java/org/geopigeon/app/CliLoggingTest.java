package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial finding: every STORE_FAILED of a CLI run printed a 30-50-line stack trace and "[main] ERROR
 * org.geopigeon.service..." / "WARN ...PSQLException" lines (1,066 stderr lines for 22 failures), and {@code audit verify}
 * with the database down printed the driver's WARN line with class names. The CLI's stderr now holds only its own
 * one-line messages; the log with the details goes to a file the run names ({@link CliLogging}), or to stderr with
 * {@code --verbose}. Runs {@link GeoPigeonCli#main} in a JVM of its own, as the launcher does.
 */
class CliLoggingTest {

    private static final String DOWN = "jdbc:postgresql://127.0.0.1:9/none?user=x&connectTimeout=2";

    @TempDir
    Path dir;

    @Test
    void storeFailuresPrintOneLineEachAndTheDetailsGoToTheLogFile() throws Exception {
        Path photo = dir.resolve("a.png");
        TrainCommandTest.writePng(photo, 1);
        Path photo2 = dir.resolve("b.png");
        TrainCommandTest.writePng(photo2, 2);
        Path log = dir.resolve("logs/cli.log");
        Result r = cli(log, "locate", "--bundle", TrainCommandTest.BUNDLE.toAbsolutePath().toString(), "--store",
                "--purpose", "logging test", "--jdbc", DOWN, photo.toString(), photo2.toString());

        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("error: " + photo + ": the result was withheld"), r.err);
        assertNoLibraryLines(r.err);
        assertTrue(r.err.contains("geopigeon: details of the problems above (incident ids, causes) are in " + log), r.err);
        String details = Files.readString(log);
        assertTrue(details.contains("STORE_FAILED incident") && details.contains("\tat "), "trace in the file: " + details);
        assertTrue(r.err.lines().count() < 15, "a few lines, not a trace per image: " + r.err);
        // Trial 2: the per-image line carried two incident ids, said "server log" and nested three parentheses.
        String line = r.err.lines().filter(l -> l.startsWith("error: " + photo + ":")).findFirst().orElseThrow();
        assertEquals(1, line.split("incident ", -1).length - 1, "one incident id: " + line);
        assertTrue(line.contains(" in " + log + ")"), "names the CLI log file: " + line);
        assertFalse(line.contains("server"), "a CLI has no server log or server spool: " + line);
        assertFalse(line.matches(".*\\([^)]*\\(.*") || line.contains(") ("), "no nested or stacked parentheses: " + line);
        assertTrue(line.contains("connection refused"), "the cause in user words: " + line);
    }

    @Test
    void auditVerifyWithTheDatabaseDownShowsOnlyItsOwnLinesUnlessVerbose() throws Exception {
        Path log = dir.resolve("cli.log");
        Result quiet = cli(log, "audit", "verify", "--jdbc", DOWN, "--spool", dir.resolve("spool").toString());
        assertEquals(3, quiet.code, quiet.err);
        assertTrue(quiet.err.contains("error: could not verify the audit chain"), quiet.err);
        assertNoLibraryLines(quiet.err);

        Result verbose = cli(log, "audit", "verify", "--verbose", "--jdbc", DOWN, "--spool",
                dir.resolve("spool").toString());
        assertEquals(3, verbose.code, verbose.err);
        assertTrue(verbose.err.contains("WARN org.geopigeon"), "--verbose shows the log: " + verbose.err);
    }

    private static void assertNoLibraryLines(String err) {
        assertFalse(err.contains("\tat "), err);
        assertFalse(err.contains("[main]"), err);
        assertFalse(err.contains("Exception"), "no Java class names: " + err);
    }

    private record Result(int code, String out, String err) {
    }

    private Result cli(Path logFile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), GeoPigeonCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("GEOPIGEON_LOG_FILE", logFile.toString());
        pb.environment().put("GEOPIGEON_AUDIT_SPOOL_DIR", dir.resolve("spool").toString());
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "finished in time");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
