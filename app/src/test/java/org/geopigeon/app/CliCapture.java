package org.geopigeon.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code ./geopigeon} in-process ({@link GeoPigeonCli#run}) and captures what it prints: the one copy of the
 * helper the command tests share. picocli creates its writers from {@code System.out}/{@code System.err} lazily, so
 * swapping the streams for the call captures its output; both are restored afterwards, also on failure. Not
 * thread-safe (the streams are global): JUnit runs the command tests of this module one at a time.
 */
final class CliCapture {

    /** Exit code and everything printed, decoded as UTF-8. */
    record Result(int exitCode, String out, String err) {
    }

    private CliCapture() {
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = GeoPigeonCli.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
