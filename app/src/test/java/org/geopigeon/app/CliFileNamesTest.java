package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial findings: a Latin-1 file name under a UTF-8 locale said "file does not exist", and under {@code LANG=C} any
 * non-ASCII name made picocli fail the whole call (usage error, exit 2, good files not processed). Each bad name is
 * now a per-file error naming it, the other files are processed, exit code 1; and the {@code ./geopigeon} launcher
 * runs Java with a UTF-8 {@code LC_CTYPE} under {@code LANG=C}, so valid UTF-8 names work there.
 *
 * <p>These run real JVMs (the locale's charset is fixed at JVM start) on the test class path, through bash.
 */
class CliFileNamesTest {

    private static final Path LAUNCHER = Path.of("../geopigeon").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path good;

    @BeforeEach
    void goodPhoto() throws IOException {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "the tests write a non-ASCII file name: run them under a UTF-8 locale");
        good = dir.resolve("good.png");
        TrainCommandTest.writePng(good, 1);
    }

    @Test
    void aLatin1NameUnderUtf8IsAPerFileErrorNamingIt() throws Exception {
        // bash makes the file and passes the raw bytes: Java itself cannot write such a name.
        Result r = bash(Map.of("LC_ALL", "C.UTF-8"), "cp good.png \"$(printf 'caf\\351.png')\"; "
                + javaCli() + " inspect \"$(printf 'caf\\351.png')\" good.png");
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.contains("error: caf?.png: the file name has bytes that are not valid in this system's file"
                + " name encoding (UTF-8)"), r.err);
        assertFalse(r.err.contains("does not exist"), r.err);
        assertTrue(r.out.contains("good.png"), "the good file is still inspected: " + r.out);
        assertTrue(r.err.contains("1 of 2 files could not be read"), r.err);
    }

    @Test
    void underLangCJavaAloneReportsTheNameAndGoesOn() throws Exception {
        Files.copy(good, dir.resolve("straße.png"));
        Result r = bash(Map.of("LC_ALL", "C", "LANG", "C"), javaCli() + " inspect straße.png good.png");
        assertEquals(1, r.code, "a per-file error, not a usage error: " + r.err);
        assertFalse(r.err.contains("Invalid value") || r.err.contains("InvalidPathException")
                || r.err.contains("Usage"), r.err);
        assertTrue(r.err.contains("error: stra??e.png: the file name has bytes that are not valid in this system's"
                + " file name encoding"), r.err);
        assertTrue(r.out.contains("good.png"), r.out);
    }

    @Test
    void theLauncherOpensUtf8NamesUnderLangC() throws Exception {
        Assumptions.assumeTrue(bash(Map.of("LC_ALL", "C.UTF-8"), "locale charmap").out.trim().equals("UTF-8"),
                "no C.UTF-8 locale here");
        Files.copy(good, dir.resolve("straße.png"));
        // The launcher's own build check is satisfied by a fresh jar stand-in; a stand-in `java` runs the real one on
        // the test class path with the arguments and environment the launcher prepared.
        String target = "target/launcher-test-" + ProcessHandle.current().pid();
        Path appTarget = LAUNCHER.getParent().resolve("app").resolve(target);
        Files.createDirectories(appTarget.resolve("lib"));
        Files.writeString(appTarget.resolve("geopigeon-app-0.1.0-SNAPSHOT.jar"), "stand-in");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\n"
                + "while [[ $# -gt 0 && \"$1\" != org.geopigeon.app.GeoPigeonCli ]]; do shift; done\n"
                + "shift\nexec '" + realJava() + "' -cp \"$TEST_CP\" org.geopigeon.app.GeoPigeonCli \"$@\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Result r = bash(Map.of("LC_ALL", "C", "LANG", "C", "GEOPIGEON_TARGET", target,
                            "PATH", bin + ":" + System.getenv("PATH"), "TEST_CP", System.getProperty("java.class.path")),
                    "'" + LAUNCHER + "' inspect --json straße.png good.png");
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains("\"file\":\"straße.png\""), r.out);
            assertTrue(r.out.contains("\"file\":\"good.png\""), r.out);
        } finally {
            Files.delete(appTarget.resolve("geopigeon-app-0.1.0-SNAPSHOT.jar"));
            Files.delete(appTarget.resolve("lib"));
            Files.delete(appTarget);
        }
    }

    private static String realJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String javaCli() {
        return "'" + realJava() + "' -cp \"$TEST_CP\" org.geopigeon.app.GeoPigeonCli";
    }

    private record Result(int code, String out, String err) {
    }

    private Result bash(Map<String, String> env, String script) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", script));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("TEST_CP", System.getProperty("java.class.path"));
        pb.environment().put("GEOPIGEON_LOG_FILE", dir.resolve("cli.log").toString()); // not the user's home
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_CTYPE");
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished in time");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
