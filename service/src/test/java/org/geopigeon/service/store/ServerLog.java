package org.geopigeon.service.store;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the server log (slf4j-simple, which writes to the current {@code System.err}) prints while a
 * test runs, and still passes it through. Tests in this module run one at a time.
 */
final class ServerLog {

    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private ServerLog() {
        original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static ServerLog capture() {
        return new ServerLog();
    }

    void stop() {
        System.err.flush();
        System.setErr(original);
    }

    synchronized String text() {
        return copy.toString(StandardCharsets.UTF_8);
    }

    /** The first line containing {@code part}, or "" when none does. */
    String lineWith(String part) {
        return text().lines().filter(l -> l.contains(part)).findFirst().orElse("");
    }
}
