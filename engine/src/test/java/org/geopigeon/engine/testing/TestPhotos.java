package org.geopigeon.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.preprocess.ClipPreprocessor;

/** Photos of a folder as model input, for tests that compare backbones on the same images. */
public final class TestPhotos {

    private TestPhotos() {
    }

    /**
     * The first {@code ancestor/relative} folder that exists above the working directory (the repository, a
     * worktree), for the shared data that is never copied into the repository; {@code ../../relative} when none does,
     * so callers skip cleanly with {@code Files.isDirectory}.
     */
    public static Path findShared(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return Path.of("..", "..").resolve(relative);
    }

    /**
     * Every JPEG and PNG directly in {@code folder}, in file-name order, decoded and preprocessed by {@code pre}.
     *
     * @return one float [3 * S * S] array (channel, row, column) per photo
     * @throws IOException when the folder cannot be listed; an undecodable photo fails the test with its message
     */
    public static List<float[]> preprocessed(Path folder, ClipPreprocessor pre) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<float[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png")) {
                    float[] chw = new float[pre.imageLength()];
                    pre.toChw(decoder.decode(f).rgb(), chw, 0);
                    out.add(chw);
                }
            }
        }
        return out;
    }
}
