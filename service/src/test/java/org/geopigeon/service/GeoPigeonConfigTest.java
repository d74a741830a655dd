package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.service.store.DatabaseTimeouts;
import org.junit.jupiter.api.Test;

class GeoPigeonConfigTest {

    private static GeoPigeonConfig config(Map<String, String> props, Map<String, String> env) {
        return GeoPigeonConfig.from(props::get, env::get);
    }

    @Test
    void readsEnvironmentVariablesNamedAfterTheProperties() {
        GeoPigeonConfig c = config(Map.of(), Map.of("GEOPIGEON_JDBC_URL", "jdbc:postgresql://db/gis",
                "GEOPIGEON_JDBC_USER", "app", "GEOPIGEON_MAX_CONCURRENT", "3", "GEOPIGEON_BUSY_WAIT_MILLIS", "500",
                "GEOPIGEON_STORE", "false", "GEOPIGEON_JDBC_MIGRATE", "no", "GEOPIGEON_BUNDLE", "/models/x"));
        assertEquals("jdbc:postgresql://db/gis", c.jdbcUrl());
        assertEquals("app", c.jdbcUser());
        assertEquals(3, c.maxConcurrent());
        assertEquals(Duration.ofMillis(500), c.busyWait());
        assertFalse(c.storeDefault());
        assertFalse(c.migrate());
        assertEquals(Path.of("/models/x"), c.bundle());
    }

    @Test
    void systemPropertiesWinOverTheEnvironment() {
        GeoPigeonConfig c = config(Map.of("geopigeon.maxConcurrent", "5"), Map.of("GEOPIGEON_MAX_CONCURRENT", "3"));
        assertEquals(5, c.maxConcurrent());
        assertTrue(c.storeDefault());
        assertTrue(c.migrate());
        assertFalse(c.hasDatabase());
    }

    @Test
    void badValuesNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of(), Map.of("GEOPIGEON_MAX_CONCURRENT", "many")));
        assertTrue(e.getMessage().contains("geopigeon.maxConcurrent") && e.getMessage().contains("many"));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("geopigeon.maxConcurrent", "0"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("geopigeon.store", "maybe"), Map.of()));
    }

    @Test
    void modelSettingsDefaultToAutoPrecisionOtherPrecisionsPerRequestAndNoMicroBatching() {
        ModelSettings d = config(Map.of(), Map.of()).model();
        assertEquals(PrecisionChoice.AUTO, d.precision());
        assertTrue(d.perRequest());
        assertFalse(d.microBatching());
        assertEquals(2, config(Map.of(), Map.of()).inferenceSlots());
    }

    @Test
    void precisionAndMicroBatchingComeFromTheirSettingsAndBatchingWidensTheInferenceSlots() {
        GeoPigeonConfig c = config(Map.of("geopigeon.precision", "INT8"), Map.of("GEOPIGEON_PRECISION", "bf16",
                "GEOPIGEON_MICRO_BATCH", "8", "GEOPIGEON_MICRO_BATCH_WAIT_MILLIS", "12",
                "GEOPIGEON_PRECISION_PER_REQUEST", "false"));
        assertEquals(PrecisionChoice.INT8, c.model().precision(), "the property wins over the environment");
        assertFalse(c.model().perRequest());
        assertEquals(8, c.model().microBatch());
        assertEquals(Duration.ofMillis(12), c.model().microBatchWait());
        assertEquals(8, c.inferenceSlots(), "2 slots would cap every batch at 2 requests");
        assertEquals(8, c.limits().maxConcurrent());
        assertEquals(c.model(), c.withJdbc("jdbc:postgresql://x/y", null, null).model());
    }

    @Test
    void badModelSettingsNameTheSettingAndTheAcceptedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of(), Map.of("GEOPIGEON_PRECISION", "fp8")));
        assertTrue(e.getMessage().contains("geopigeon.precision") && e.getMessage().contains("GEOPIGEON_PRECISION")
                && e.getMessage().contains("fp8") && e.getMessage().contains("bf16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(Map.of("geopigeon.microBatch", "65"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.microBatch") && e.getMessage().contains("65"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.microBatchWaitMillis", "-1"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.microBatchWaitMillis"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.precisionPerRequest", "sometimes"), Map.of()));
    }

    @Test
    void badEngineSettingsAreRefusedAtStartUpLikeTheServiceSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.threads", "abc"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.threads") && e.getMessage().contains("'abc'")
                && e.getMessage().contains("positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(Map.of("geopigeon.device", "gpu"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.device") && e.getMessage().contains("'gpu'")
                && e.getMessage().contains("'cpu'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.cpuImagesPerPass", "0"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.cpuImagesPerPass"), e.getMessage());
        config(Map.of("geopigeon.threads", "4", "geopigeon.device", "cpu"), Map.of());
    }

    @Test
    void imageLimitsDefaultTo25MiB80MegapixelsAnd320InFlightAndReachTheService() {
        GeoPigeonConfig d = config(Map.of(), Map.of());
        assertEquals(25L * 1024 * 1024, d.maxImageBytes());
        assertEquals(80_000_000L, d.maxImagePixels());
        assertEquals(320, d.maxMegapixelsInFlight());
        assertEquals(32, d.imageRules().minSide());

        GeoPigeonConfig c = config(Map.of("geopigeon.maxImagePixels", "50000000"), Map.of(
                "GEOPIGEON_MAX_IMAGE_BYTES", "1048576", "GEOPIGEON_MAX_MEGAPIXELS_IN_FLIGHT", "100",
                "GEOPIGEON_MAX_CONCURRENT", "3", "GEOPIGEON_BUSY_WAIT_MILLIS", "700"));
        ServiceLimits limits = c.limits();
        assertEquals(1_048_576L, limits.images().maxBytes());
        assertEquals(50_000_000L, limits.images().maxPixels());
        assertEquals(100_000_000L, limits.maxPixelsInFlight());
        assertEquals(3, limits.maxConcurrent());
        assertEquals(Duration.ofMillis(700), limits.busyWait());
        assertEquals(c.limits(), c.withJdbc("jdbc:postgresql://x/y", null, null).limits(), "kept by withJdbc");
    }

    @Test
    void aBudgetSmallerThanOneImageIsRefusedNamingBothSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(
                Map.of("geopigeon.maxMegapixelsInFlight", "10"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.maxMegapixelsInFlight")
                && e.getMessage().contains("geopigeon.maxImagePixels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("geopigeon.maxImageBytes", "lots"), Map.of()));
    }

    @Test
    void withoutADatabaseTheDataSourceIsRefusedWithTheSettingToFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config(Map.of(), Map.of()).dataSource());
        assertTrue(e.getMessage().contains("GEOPIGEON_JDBC_URL"));
    }

    @Test
    void databaseTimeoutsAndTheAuditSpoolFolderAreSettings() {
        GeoPigeonConfig d = config(Map.of("user.home", "/home/gis"), Map.of());
        assertEquals(DatabaseTimeouts.DEFAULT, d.dbTimeouts());
        assertEquals(Path.of("/home/gis/.geopigeon/audit-spool"), d.auditSpoolDir());

        GeoPigeonConfig c = config(Map.of("geopigeon.jdbc.lockTimeoutSeconds", "2"),
                Map.of("GEOPIGEON_JDBC_CONNECT_TIMEOUT_SECONDS", "7", "GEOPIGEON_JDBC_STATEMENT_TIMEOUT_SECONDS", "9",
                        "GEOPIGEON_AUDIT_SPOOL_DIR", "/var/lib/geoserver/geopigeon-spool"));
        assertEquals(DatabaseTimeouts.ofSeconds(7, 9, 2), c.dbTimeouts());
        assertEquals(Path.of("/var/lib/geoserver/geopigeon-spool"), c.auditSpoolDir());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.jdbc.lockTimeoutSeconds", "30"), Map.of()));
        assertTrue(e.getMessage().contains("geopigeon.jdbc.lockTimeoutSeconds"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("geopigeon.jdbc.connectTimeoutSeconds", "0"), Map.of()));
    }

    @Test
    void passwordsAreNotPrinted() {
        GeoPigeonConfig c = config(Map.of("geopigeon.jdbc.password", "s3cret"), Map.of());
        assertFalse(c.toString().contains("s3cret"));
    }
}
