package org.geopigeon.engine.image;

/**
 * Upper bounds the decoder enforces before it allocates pixels, so a hostile upload cannot exhaust memory.
 *
 * @param maxPixels largest width x height accepted, read from the image header
 * @param maxBytes  largest encoded size accepted, in bytes
 */
public record ImageLimits(long maxPixels, long maxBytes) {

    /** 80 megapixels: above any phone or DSLR photo, below what would blow a 3 GB heap. */
    public static final long DEFAULT_MAX_PIXELS = 80_000_000L;
    /** 100 MiB of encoded bytes. */
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;

    public ImageLimits {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
    }

    /** The defaults: {@value #DEFAULT_MAX_PIXELS} pixels and {@value #DEFAULT_MAX_BYTES} bytes. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
    }
}
