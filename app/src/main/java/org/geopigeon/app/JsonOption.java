package org.geopigeon.app;

import picocli.CommandLine.Option;

/** {@code --json} of {@code locate}, {@code inspect} and {@code evaluate} (picocli mixin). */
final class JsonOption {

    @Option(names = "--json", description = "print JSON instead of text: one object per line (JSON Lines) when there"
            + " are several results")
    boolean json;
}
