package org.geopigeon.app;

import org.geopigeon.engine.model.DjlRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --decode-threads N} of {@code locate} and {@code train} (picocli mixin). */
final class DecodeThreadsOption {

    @Option(names = "--decode-threads", paramLabel = "N",
            description = "threads decoding and preprocessing the next images while the backbone runs (default: a"
                    + " quarter of the cores, 1-4)")
    Integer threads;

    /**
     * The threads to use: this option, else {@link DjlRuntime#defaultDecodeThreads()}.
     *
     * @throws ParameterException (exit code 2) outside 1..64
     */
    int resolve(CommandLine cmd) {
        if (threads == null) {
            return DjlRuntime.defaultDecodeThreads();
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException(cmd, "--decode-threads must be between 1 and 64, got " + threads);
        }
        return threads;
    }
}
