package org.geopigeon.app.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The background map of the viewer: simplified country outlines ({@value #COUNTRIES}), found under the
 * install folder ({@code geopigeon.home}), the working directory or one of its parents; else the model's
 * own geocells, which at least show where land is.
 *
 * @param file  the GeoJSON file served
 * @param kind  "countries" or "geocells", for the viewer's attribution line
 * @param bytes its contents, read once at start
 */
public record Boundaries(Path file, String kind, byte[] bytes) {

    static final String COUNTRIES = "sample-data/boundaries/countries.geojson";

    /**
     * @param explicit  --boundaries FILE, or null to search
     * @param home      the install folder, or null
     * @param workDir   the working directory
     * @param fallback  the model's geocell file
     */
    public static Boundaries locate(Path explicit, Path home, Path workDir, Path fallback) throws IOException {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IOException(explicit + ": --boundaries file does not exist");
            }
            return new Boundaries(explicit, "countries", Files.readAllBytes(explicit));
        }
        List<Path> candidates = new ArrayList<>();
        if (home != null) {
            candidates.add(home.resolve(COUNTRIES));
        }
        for (Path dir = workDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve(COUNTRIES));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return new Boundaries(p, "countries", Files.readAllBytes(p));
            }
        }
        return new Boundaries(fallback, "geocells", Files.readAllBytes(fallback));
    }

}
