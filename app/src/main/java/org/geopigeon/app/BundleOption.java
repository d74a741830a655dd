package org.geopigeon.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.ModelBundle;
import picocli.CommandLine.Option;

/** {@code --bundle DIR}: the model bundle of {@code locate} and {@code evaluate} (picocli mixin). */
final class BundleOption {

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "model bundle folder (default: -Dgeopigeon.bundle, $GEOPIGEON_BUNDLE, else sample-data/demo-bundle)")
    String bundle;

    /** The folder: this option, else the configured default ({@link BundleLocator}). */
    Path dir() {
        return BundleLocator.resolve(bundle);
    }

    /**
     * Warns on {@code err} when the bundle's weights are the untrained demo weights.
     *
     * @param consequence what that means for this command, e.g. "predictions carry no geographic information"
     */
    static void warnIfUntrained(ModelBundle model, PrintWriter err, String consequence) {
        if (!model.manifest().trained()) {
            err.println("WARNING: model '" + model.name() + "' is untrained demo weights: " + consequence);
            err.flush();
        }
    }
}
