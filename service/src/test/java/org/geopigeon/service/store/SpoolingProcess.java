package org.geopigeon.service.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A second JVM for the audit spool tests: {@code spool ROOT DATABASE N} appends N refusals to the spool and
 * exits (a process that spooled during an outage and ended); {@code replay ROOT DATABASE JDBC} replays the spool
 * into the database ten times (a second replayer running at the same time as the test's own).
 */
public final class SpoolingProcess {

    private SpoolingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        String database = args[2];
        switch (args[0]) {
            case "spool" -> {
                try (AuditSpool spool = AuditSpool.forDatabase(root, database)) {
                    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                        spool.append(AuditTrailTest.refusal("spooled by another process #" + i,
                                ErrorCode.INVALID_IMAGE), "test outage");
                    }
                }
            }
            case "replay" -> {
                DataSource ds = Migrations.dataSource(args[3], null, null);
                try (AuditTrail trail = new AuditTrail(ds, AuditSpool.forDatabase(root, database),
                        Duration.ofHours(1), Duration.ZERO)) {
                    for (int i = 0; i < 10; i++) {
                        trail.replayPending();
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /** A running child JVM and the file its output goes to. */
    record Child(Process process, Path log) {

        boolean waitFor(long seconds) throws InterruptedException {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }

        int exitValue() {
            return process.exitValue();
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /** Starts this class in a new JVM with the test class path. */
    static Child start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                SpoolingProcess.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("spooling-process-", ".log");
        out.toFile().deleteOnExit();
        return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start(), out);
    }

    /** Runs it to the end; returns the exit code. */
    static int run(String... args) throws IOException, InterruptedException {
        Child c = start(args);
        if (!c.waitFor(60)) {
            c.process().destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", args));
        }
        if (c.exitValue() != 0) {
            throw new IOException("exit " + c.exitValue() + ": " + c.output());
        }
        return c.exitValue();
    }
}
