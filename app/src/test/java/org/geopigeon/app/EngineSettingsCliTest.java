package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A bad engine setting (JVM system property, read by the engine only when it starts) stops every command before it
 * does anything, with one line naming the setting, the value and what is allowed; help still works.
 */
class EngineSettingsCliTest {

    @Test
    void aBadThreadsOrDeviceValueIsOneUsageErrorLine() {
        assertRefused("geopigeon.threads", "abc", "must be a positive integer");
        assertRefused("geopigeon.device", "gpu", "must be 'auto'");
    }

    @Test
    void helpIsNotBlockedByABadSetting() {
        withProperty("geopigeon.threads", "abc", () -> {
            CliCapture.Result r = CliCapture.run("inspect", "--help");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Usage"), r.out());
        });
    }

    private static void assertRefused(String property, String value, String allowed) {
        withProperty(property, value, () -> {
            CliCapture.Result r = CliCapture.run("inspect", "does-not-matter.jpg");
            assertEquals(2, r.exitCode(), r.err());
            String line = r.err().strip();
            assertFalse(line.contains("\n"), "one line only: " + line);
            assertTrue(line.startsWith("error: invalid setting: system property " + property + " " + allowed), line);
            assertTrue(line.endsWith("got '" + value + "'"), line);
            assertFalse(line.contains("Exception"), line);
        });
    }

    private static void withProperty(String property, String value, Runnable r) {
        try (SystemProperty setting = SystemProperty.set(property, value)) {
            r.run();
        }
    }
}
