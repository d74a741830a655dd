package org.geopigeon.engine.bundle;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model bundle is unusable. The message names the offending file and what is wrong with it,
 * so an operator can fix the bundle without reading code. An IOException so callers that already
 * handle I/O failures of the bundle folder need no extra catch.
 */
public class BundleException extends IOException {

    private final Path file;

    public BundleException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BundleException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or folder) the problem was found in. */
    public Path file() {
        return file;
    }
}
