package org.geopigeon.engine.image;

/**
 * Bounds the decoder enforces before it allocates pixels, so a hostile upload cannot exhaust memory and an image too
 * small to geolocate is refused before decoding. Every front end passes the service's one rule set here
 * ({@code org.geopigeon.service.ImageRules#decoder()}); {@link #defaults()} is only for library callers and tests.
 *
 * @param maxPixels largest width x height accepted, read from the image header
 * @param maxBytes  largest encoded size accepted, in bytes
 * @param minSide   smallest width and height accepted, in pixels, read from the header (1 = no minimum)
 */
public record ImageLimits(long maxPixels, long maxBytes, int minSide) {

    /** 80 megapixels: above any phone or DSLR photo, below what would blow a 3 GB heap. */
    public static final long DEFAULT_MAX_PIXELS = 80_000_000L;
    /** 100 MiB of encoded bytes: the engine library's own bound; the front ends apply the service's 25 MiB. */
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;

    public ImageLimits {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        if (minSide < 1) {
            throw new IllegalArgumentException("minSide must be at least 1: " + minSide);
        }
    }

    /** Upper bounds only, no minimum side. */
    public ImageLimits(long maxPixels, long maxBytes) {
        this(maxPixels, maxBytes, 1);
    }

    /** The defaults: {@value #DEFAULT_MAX_PIXELS} pixels and {@value #DEFAULT_MAX_BYTES} bytes. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
    }
}
