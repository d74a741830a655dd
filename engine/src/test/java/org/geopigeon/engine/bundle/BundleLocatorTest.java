package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLocatorTest {

    @TempDir
    Path work;

    private static UnaryOperator<String> map(Map<String, String> m) {
        return m::get;
    }

    @Test
    void explicitPathWinsOverPropertyAndEnvironment() {
        Path p = BundleLocator.resolve("mine", map(Map.of("geopigeon.bundle", "prop")),
                map(Map.of("GEOPIGEON_BUNDLE", "env")), work);
        assertEquals(work.resolve("mine"), p);
    }

    @Test
    void propertyWinsOverEnvironment() {
        assertEquals(work.resolve("prop"), BundleLocator.resolve(null, map(Map.of("geopigeon.bundle", "prop")),
                map(Map.of("GEOPIGEON_BUNDLE", "env")), work));
        assertEquals(Path.of("/abs/env"), BundleLocator.resolve(" ", map(Map.of()),
                map(Map.of("GEOPIGEON_BUNDLE", "/abs/env")), work));
    }

    @Test
    void demoBundleUnderWorkDirThenHomeThenParents() throws IOException {
        Path home = Files.createDirectories(work.resolve("opt/geopigeon/sample-data/demo-bundle"));
        Path module = Files.createDirectories(work.resolve("checkout/engine"));
        Path checkoutDemo = Files.createDirectories(work.resolve("checkout/sample-data/demo-bundle"));
        UnaryOperator<String> homeProp = map(Map.of("geopigeon.home", work.resolve("opt/geopigeon").toString()));

        assertEquals(home, BundleLocator.resolve(null, homeProp, map(Map.of()), module));
        assertEquals(checkoutDemo, BundleLocator.resolve(null, map(Map.of()), map(Map.of()), module));
        assertEquals(checkoutDemo, BundleLocator.resolve(null, homeProp, map(Map.of()), work.resolve("checkout")));
    }

    @Test
    void fallsBackToTheDemoPathUnderTheWorkDirWhenNothingExists() {
        Path nowhere = work.resolve("empty");
        assertEquals(nowhere.resolve("sample-data/demo-bundle"), BundleLocator.resolve(null, map(Map.of()), map(Map.of()), nowhere));
    }
}
