package org.geopigeon.engine.image;

import java.util.List;
import java.util.Objects;

/**
 * What the decoder reads from a file besides its pixels (rules and order: {@link ImageDecoder}, docs/image-input.md).
 *
 * @param orientation EXIF orientation 1..8 that was applied to the pixels (1 when absent or invalid)
 * @param gps         the file's position, or null
 * @param captured    EXIF DateTimeOriginal as ISO 8601 local time, with OffsetTimeOriginal appended when the file has
 *                    it ({@code 2023-07-14T18:05:09+02:00}); the text as written when it is not a valid date; or null
 * @param camera      make, model and lens; {@link CameraInfo#NONE} when absent
 * @param software    EXIF Software (0x0131), or null
 * @param iccProfile  the embedded ICC profile's description, or null when there is none or it is unreadable. The profile
 *                    is never applied to the pixels (Pillow ignores it)
 * @param warnings    metadata problems that were ignored (a broken ICC segment, an unreadable EXIF block, ...), each
 *                    one readable sentence; empty when none
 */
public record ImageMetadata(int orientation, GpsFix gps, String captured, CameraInfo camera, String software,
                            String iccProfile, List<String> warnings) {

    /** A file without metadata. */
    public static final ImageMetadata NONE = new ImageMetadata(1, null, null, CameraInfo.NONE, null, null, List.of());

    public ImageMetadata {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be 1..8: " + orientation);
        }
        camera = camera == null ? CameraInfo.NONE : camera;
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
    }

    /** The same metadata with more warnings appended. */
    public ImageMetadata withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        for (String w : more) {
            if (!all.contains(w)) {
                all.add(w);
            }
        }
        return new ImageMetadata(orientation, gps, captured, camera, software, iccProfile, all);
    }
}
