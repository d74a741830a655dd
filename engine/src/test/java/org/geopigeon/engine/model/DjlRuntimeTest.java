package org.geopigeon.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many images one forward pass takes, per device and precision. */
class DjlRuntimeTest {

    @Test
    void cpuRunsOneImagePerPassAndGpusWholeBatches() {
        withProperty(null, () -> {
            assertEquals(1, DjlRuntime.imagesPerPass(Device.cpu(), Precision.FP32));
            assertEquals(1, DjlRuntime.imagesPerPass(Device.cpu(), Precision.INT8));
            assertEquals(1, DjlRuntime.imagesPerPass(Device.cpu(), Precision.BF16));
            assertEquals(Integer.MAX_VALUE, DjlRuntime.imagesPerPass(Device.gpu(), Precision.BF16));
            assertEquals(Integer.MAX_VALUE, DjlRuntime.imagesPerPass(Device.gpu(), Precision.FP32));
        });
    }

    @Test
    void thePropertyOverridesTheCpuSettingOnly() {
        withProperty("4", () -> {
            assertEquals(4, DjlRuntime.imagesPerPass(Device.cpu(), Precision.INT8));
            assertEquals(4, DjlRuntime.imagesPerPass(Device.cpu(), Precision.BF16));
            assertEquals(Integer.MAX_VALUE, DjlRuntime.imagesPerPass(Device.gpu(), Precision.FP16));
        });
        withProperty("zero", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DjlRuntime.imagesPerPass(Device.cpu(), Precision.FP32));
            assertTrue(e.getMessage().contains("geopigeon.cpuImagesPerPass must be a positive integer")
                    && e.getMessage().endsWith("got 'zero'"),
                    e.getMessage());
        });
    }

    @Test
    void everyEngineSettingIsCheckedNamingTheSettingTheValueAndWhatIsAllowed() {
        DjlRuntime.checkSettings(Map.<String, String>of()::get);
        DjlRuntime.checkSettings(Map.of("geopigeon.threads", "8", "geopigeon.device", "CPU",
                "geopigeon.cpuImagesPerPass", "2")::get);
        DjlRuntime.checkSettings(Map.of("geopigeon.threads", " ", "geopigeon.device", "auto")::get);

        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> DjlRuntime.checkSettings(Map.of("geopigeon.threads", "abc")::get));
        assertEquals("system property geopigeon.threads must be a positive integer (the number of libtorch intra-op"
                + " threads, e.g. 8), got 'abc'", threads.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DjlRuntime.checkSettings(Map.of("geopigeon.threads", "0")::get));

        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> DjlRuntime.checkSettings(Map.of("geopigeon.device", "gpu")::get));
        assertEquals("system property geopigeon.device must be 'auto' (the first GPU libtorch sees, else the CPU) or"
                + " 'cpu' (force the CPU), got 'gpu'", device.getMessage());

        IllegalArgumentException perPass = assertThrows(IllegalArgumentException.class,
                () -> DjlRuntime.checkSettings(Map.of("geopigeon.cpuImagesPerPass", "-1")::get));
        assertTrue(perPass.getMessage().startsWith("system property geopigeon.cpuImagesPerPass must be a positive"),
                perPass.getMessage());
    }

    private static void withProperty(String value, Runnable r) {
        String old = System.getProperty(DjlRuntime.CPU_IMAGES_PER_PASS);
        try {
            if (value == null) {
                System.clearProperty(DjlRuntime.CPU_IMAGES_PER_PASS);
            } else {
                System.setProperty(DjlRuntime.CPU_IMAGES_PER_PASS, value);
            }
            r.run();
        } finally {
            if (old == null) {
                System.clearProperty(DjlRuntime.CPU_IMAGES_PER_PASS);
            } else {
                System.setProperty(DjlRuntime.CPU_IMAGES_PER_PASS, old);
            }
        }
    }
}
