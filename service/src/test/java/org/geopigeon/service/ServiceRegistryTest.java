package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The registry shares one model holder per bundle folder until it is closed, and then starts afresh. */
class ServiceRegistryTest {

    @Test
    void oneHolderPerFolderUntilClosed() {
        ServiceRegistry registry = new ServiceRegistry();
        Path folder = Path.of("some", "bundle");
        ModelHolder first = registry.model(folder);
        assertSame(first, registry.model(Path.of("some", "other", "..", "bundle").toAbsolutePath()),
                "the same folder, however it is written, shares one holder");
        assertEquals(folder.toAbsolutePath().normalize(), first.bundleDir());
        registry.close();
        assertNotSame(first, registry.model(folder), "after close the registry creates fresh instances");
        registry.close();
    }

    @Test
    void aServiceNeedsADatabase() {
        try (ServiceRegistry registry = new ServiceRegistry()) {
            GeoPigeonConfig noDatabase = GeoPigeonConfig.fromEnvironment().withJdbc(null, null, null);
            assertThrows(IllegalStateException.class, () -> registry.geolocation(noDatabase));
        }
    }
}
