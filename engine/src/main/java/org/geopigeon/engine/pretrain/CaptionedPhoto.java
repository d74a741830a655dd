package org.geopigeon.engine.pretrain;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A training photo and its synthetic captions.
 *
 * @param file     image file
 * @param captions captions from its location and capture date ({@link org.geopigeon.engine.captions.PhotoCaptioner}), at least one
 */
public record CaptionedPhoto(Path file, List<String> captions) {
    public CaptionedPhoto {
        Objects.requireNonNull(file, "file");
        captions = List.copyOf(captions);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException(file + ": no captions");
        }
    }
}
