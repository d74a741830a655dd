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
     * Warns on {@code err} when the bundle's answers carry no information ({@code trained: false} in its manifest),
     * saying why: a random backbone (the demo's, or a head trained on its embeddings: {@code train} marks a bundle
     * trained only when its backbone is {@code pretrained}), or an untrained head.
     *
     * @param consequence what that means for this command, e.g. "predictions carry no geographic information"
     */
    static void warnIfUntrained(ModelBundle model, PrintWriter err, String consequence) {
        if (!model.manifest().trained()) {
            String why = model.manifest().backbone().pretrained()
                    ? "has an untrained geocell head"
                    : "has a random, untrained backbone (demo weights; a head trained on its embeddings learns nothing"
                            + " about places)";
            err.println("WARNING: model '" + model.name() + "' " + why + ": " + consequence);
            err.flush();
        }
    }
}
