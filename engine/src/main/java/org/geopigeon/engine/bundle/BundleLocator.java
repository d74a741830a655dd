package org.geopigeon.engine.bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Decides which model bundle folder to use: an explicit path, else the system property
 * {@code geopigeon.bundle}, else the environment variable {@code GEOPIGEON_BUNDLE}, else the
 * shipped demo bundle {@code sample-data/demo-bundle} under the working directory, else under the
 * install folder (system property {@code geopigeon.home}), else under a parent of the working
 * directory (module sub-folders of a source checkout).
 */
public final class BundleLocator {

    public static final String PROPERTY = "geopigeon.bundle";
    public static final String ENV = "GEOPIGEON_BUNDLE";
    public static final String HOME_PROPERTY = "geopigeon.home";
    public static final String DEMO = "sample-data/demo-bundle";

    private BundleLocator() {
    }

    /** Resolves against this process's properties, environment and working directory. */
    public static Path resolve(String explicitOrNull) {
        return resolve(explicitOrNull, System::getProperty, System::getenv, Path.of("").toAbsolutePath());
    }

    /**
     * @param properties system property lookup (null when unset)
     * @param env        environment lookup (null when unset)
     * @param workDir    working directory
     * @return the chosen folder; when nothing exists the demo path under the working directory, so
     *         the load error names a sensible place
     */
    public static Path resolve(String explicitOrNull, UnaryOperator<String> properties, UnaryOperator<String> env,
                               Path workDir) {
        for (String candidate : new String[] {explicitOrNull, properties.apply(PROPERTY), env.apply(ENV)}) {
            if (candidate != null && !candidate.isBlank()) {
                return workDir.resolve(candidate.trim()).normalize();
            }
        }
        Path here = workDir.toAbsolutePath().resolve(DEMO);
        if (Files.isDirectory(here)) {
            return here.normalize();
        }
        String home = properties.apply(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path demo = Path.of(home.trim()).toAbsolutePath().resolve(DEMO);
            if (Files.isDirectory(demo)) {
                return demo.normalize();
            }
        }
        // Running inside a module folder of a source checkout (e.g. engine/ during tests).
        for (Path dir = workDir.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path demo = dir.resolve(DEMO);
            if (Files.isDirectory(demo)) {
                return demo.normalize();
            }
        }
        return workDir.resolve(DEMO).normalize();
    }
}
