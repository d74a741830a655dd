package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The factory named in META-INF/services must load on every Java GeoServer 2.27 runs on (11 and 17): on 11 it
 * has to fail alone, in its constructor, not with an UnsupportedClassVersionError that hides every process.
 */
class GeoPigeonProcessFactoryTest {

    private static final String CLASS_FILE = "/org/geopigeon/wps/GeoPigeonProcessFactory.class";

    @Test
    void theFactoryIsJava11Bytecode() throws IOException {
        try (InputStream in = GeoPigeonProcessFactory.class.getResourceAsStream(CLASS_FILE);
             DataInputStream data = new DataInputStream(in)) {
            assertEquals(0xCAFEBABE, data.readInt());
            data.readUnsignedShort(); // minor
            assertEquals(55, data.readUnsignedShort(), "class-file major version 55 = Java 11");
        }
    }

    @Test
    void theFactoryNamesNoJava17ClassOfOursAsAClassConstant() throws URISyntaxException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(javap != null, "javap needs a JDK");
        Path classFile = Path.of(GeoPigeonProcessFactory.class.getResource(CLASS_FILE).toURI());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(out, true, StandardCharsets.UTF_8);
        assertEquals(0, javap.run(w, w, "-v", classFile.toString()));
        List<String> ours = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("= Class") && l.contains("org/geopigeon/")
                        && !l.contains("org/geopigeon/wps/GeoPigeonProcessFactory"))
                .collect(Collectors.toList());
        assertTrue(ours.isEmpty(), "resolving these would load Java 17 class files before the version check: " + ours);
    }

    @Test
    void onJava11TheConstructorRefusesNamingJava17() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> GeoPigeonProcessFactory.requireJava(11));
        assertTrue(e.getMessage().contains("Java 17") && e.getMessage().contains("Java 11"), e.getMessage());
        assertDoesNotThrow(() -> GeoPigeonProcessFactory.requireJava(17));
        assertDoesNotThrow(() -> GeoPigeonProcessFactory.requireJava(21));
    }

    @Test
    void onThisJavaItRegistersGeolocate() {
        assertEquals(1, new GeoPigeonProcessFactory().getNames().size());
    }
}
