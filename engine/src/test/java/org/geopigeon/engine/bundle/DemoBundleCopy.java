package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Copies of the shipped demo bundle that a test may break on purpose (a missing file, an edited manifest): the one
 * copy of the helpers the bundle loader tests share. The demo bundle itself is never modified.
 */
final class DemoBundleCopy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoBundleCopy() {
    }

    /** Copies every file of {@code demo} (not recursive: a bundle is flat) into a new folder {@code dir/bundle}. */
    static Path copy(Path demo, Path dir) throws IOException {
        Path dst = dir.resolve("bundle");
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(demo)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName().toString()));
            }
        }
        return dst;
    }

    /** Reads {@code bundle/manifest.json} as a JSON tree, lets {@code edit} change it, and writes it back. */
    static void editManifest(Path bundle, Consumer<ObjectNode> edit) throws IOException {
        Path file = bundle.resolve("manifest.json");
        ObjectNode m = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(m);
        JSON.writeValue(file.toFile(), m);
    }
}
