package org.geopigeon.service.styles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's SLD files (repository folder styles/, passed by surefire as geopigeon.stylesDir). */
final class StyleFiles {

    private StyleFiles() {
    }

    static Path directory() {
        Path dir = Path.of(System.getProperty("geopigeon.stylesDir", "../styles")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("styles directory not found: " + dir);
        }
        return dir;
    }

    static List<Path> all() {
        try (Stream<Path> files = Files.list(directory())) {
            List<Path> slds = files.filter(p -> p.getFileName().toString().endsWith(".sld")).sorted().toList();
            if (slds.isEmpty()) {
                throw new IllegalStateException("no .sld files in " + directory());
            }
            return slds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path named(String fileName) {
        Path p = directory().resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("style not found: " + p);
        }
        return p;
    }
}
