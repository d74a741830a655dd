package org.geopigeon.engine.preprocess;

import java.util.Arrays;

/**
 * CLIP-style preprocessing parameters.
 *
 * @param size square input side S of the vision model (224 for ViT-B/16, 336 for ViT-L/14-336)
 * @param mean per-channel mean (R, G, B) subtracted after scaling to [0, 1]
 * @param std  per-channel standard deviation (R, G, B) divided by afterwards
 */
public record PreprocessConfig(int size, float[] mean, float[] std) {

    // OpenAI CLIP's normalisation constants (CLIPImageProcessor's image_mean/image_std; also StreetCLIP's and PIGEON's).
    // Private: an array cannot be made read-only, so callers get copies (clipMean(), clipStd()).
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public PreprocessConfig {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("mean and std need exactly 3 values (R, G, B)");
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite: " + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("mean values must be finite: " + Arrays.toString(mean));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** OpenAI CLIP's per-channel mean (R, G, B), a fresh copy. */
    public static float[] clipMean() {
        return CLIP_MEAN.clone();
    }

    /** OpenAI CLIP's per-channel standard deviation (R, G, B), a fresh copy. */
    public static float[] clipStd() {
        return CLIP_STD.clone();
    }

    /** OpenAI CLIP's normalisation at input size S = {@code size}. */
    public static PreprocessConfig clipDefaults(int size) {
        return new PreprocessConfig(size, CLIP_MEAN, CLIP_STD);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessConfig other && size == other.size
                && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "PreprocessConfig[size=" + size + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
