package org.geopigeon.service;

import org.geopigeon.engine.image.ImageRejectedException;

/**
 * Why an image was refused, for front ends that answer with a status (HTTP 413/415/400) and for the audit
 * row's parameters. The rules behind each are in {@link ImageRules}.
 */
public enum ImageProblem {
    /** No image where one was expected (a null list element). */
    MISSING,
    /** Zero bytes. */
    EMPTY,
    /** More bytes than {@link ImageRules#maxBytes()}. */
    TOO_LARGE,
    /** The bytes cannot be read (stream error, missing file). */
    UNREADABLE,
    /** Not JPEG, PNG or WebP by its magic bytes. */
    UNSUPPORTED_FORMAT,
    /** The declared media type names another format than the bytes are. */
    MEDIA_TYPE_MISMATCH,
    /** The header declares more pixels than {@link ImageRules#maxPixels()} (decompression bomb guard). */
    TOO_MANY_PIXELS,
    /** The header declares a side under {@link ImageRules#minSide()}. */
    TOO_SMALL,
    /** The data ends before the image does. */
    TRUNCATED,
    /** Damaged data. */
    CORRUPT;

    /** The same problem as the engine's decoder names it. */
    public static ImageProblem of(ImageRejectedException.Reason reason) {
        return switch (reason) {
            case EMPTY -> EMPTY;
            case TOO_LARGE -> TOO_LARGE;
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
            case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
            case TRUNCATED -> TRUNCATED;
            case UNREADABLE -> UNREADABLE;
            case TOO_SMALL -> TOO_SMALL;
            default -> CORRUPT;
        };
    }
}
