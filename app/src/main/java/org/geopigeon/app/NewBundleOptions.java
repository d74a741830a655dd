package org.geopigeon.app;

import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleFolder;
import picocli.CommandLine.Option;

/** {@code --out BUNDLE} and {@code --name NAME} of the commands that write a bundle: train, zeroshot, pretrain (mixin). */
final class NewBundleOptions {

    @Option(names = "--out", paramLabel = "BUNDLE", required = true,
            description = "output bundle folder (must not exist or be empty; written only when everything succeeded)")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "model name of the new bundle (default: the output folder name)")
    String name;

    /** --name, else the output folder's name. */
    String modelName() {
        return name != null ? name : BundleFolder.defaultName(out);
    }
}
