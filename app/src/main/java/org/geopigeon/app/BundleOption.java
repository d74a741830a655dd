package org.geopigeon.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.ModelBundle;
import picocli.CommandLine.Option;

/**
 * {@code --bundle DIR}: the model bundle of {@code locate}, {@code evaluate} and {@code serve} (picocli mixin), and
 * the one wording of the warning a command gives when that bundle is untrained. Public for {@code app.serve}.
 */
public final class BundleOption {

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "model bundle folder (default: -Dgeopigeon.bundle, $GEOPIGEON_BUNDLE, else sample-data/demo-bundle)")
    String bundle;

    /**
     * The folder: this option, else the configured default ({@link BundleLocator}: {@code -Dgeopigeon.bundle},
     * {@code $GEOPIGEON_BUNDLE}, else the demo bundle under the working folder or {@code geopigeon.home}).
     *
     * @return an absolute, normalised path; it is not checked to exist (loading the bundle names what is missing)
     */
    public Path dir() {
        return BundleLocator.resolve(bundle);
    }

    /**
     * Warns on {@code err} when the bundle's answers carry no information ({@code trained: false} in its manifest),
     * saying why in the one wording of {@link org.geopigeon.engine.bundle.BundleManifest#untrainedReason()} (a random
     * backbone, or an untrained head).
     *
     * @param model       the loaded bundle
     * @param err         where the warning goes (flushed)
     * @param consequence what that means for this command, e.g. "predictions carry no geographic information"
     */
    public static void warnIfUntrained(ModelBundle model, PrintWriter err, String consequence) {
        String why = model.manifest().untrainedReason();
        if (why != null) {
            err.println("WARNING: model '" + model.name() + "' " + why + ": " + consequence);
            err.flush();
        }
    }
}
