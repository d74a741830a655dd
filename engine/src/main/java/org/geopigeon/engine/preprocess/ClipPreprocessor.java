package org.geopigeon.engine.preprocess;

import java.awt.image.BufferedImage;
import java.util.List;

import org.geopigeon.engine.image.RgbConverter;

/**
 * Hugging Face {@code CLIPImageProcessor} in Java: resize the shortest edge to S with Pillow's antialiased
 * bicubic filter, centre-crop S x S, multiply by 1/255, subtract the mean and divide by the std per channel.
 * Output is channel-first (CHW) float32 as the vision tower expects.
 *
 * <p>The uint8 image before scaling is bit-identical to Pillow's (see {@link PilBicubicResampler}); scaling
 * and normalisation repeat numpy's float64-then-float32 arithmetic, so the floats match too.
 * Stateless and thread-safe: share one instance.
 */
public final class ClipPreprocessor {

    /** transformers' rescale_factor, a Python float (double) multiplied in float64. */
    private static final double RESCALE = 1.0 / 255.0;

    private final PreprocessConfig config;
    private final int size;
    private final float[] mean;
    private final float[] std;

    public ClipPreprocessor(PreprocessConfig config) {
        this.config = config;
        this.size = config.size();
        this.mean = config.mean();
        this.std = config.std();
    }

    /** Target size, crop, resampling and mean/std this preprocessor applies. */
    public PreprocessConfig config() {
        return config;
    }

    /** Values per image: 3 * S * S. */
    public int imageLength() {
        return 3 * size * size;
    }

    /**
     * The resized and cropped pixels before any scaling, CHW, each byte an unsigned 0..255 value: exactly
     * what Pillow produces (the parity tests compare this).
     */
    public byte[] toChwUint8(BufferedImage image) {
        int[] packed = resizeCrop(image);
        int plane = size * size;
        byte[] out = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = packed[i];
            out[i] = (byte) (p >>> 16);
            out[plane + i] = (byte) (p >>> 8);
            out[2 * plane + i] = (byte) p;
        }
        return out;
    }

    /** CHW values after the 1/255 rescale, before mean/std: in [0, 1]. */
    public float[] toChwUnnormalised(BufferedImage image) {
        int[] packed = resizeCrop(image);
        int plane = size * size;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = packed[i];
            out[i] = rescale(p >>> 16 & 0xFF);
            out[plane + i] = rescale(p >>> 8 & 0xFF);
            out[2 * plane + i] = rescale(p & 0xFF);
        }
        return out;
    }

    /** Normalised CHW float[3 * S * S], the model input for one image. */
    public float[] toChw(BufferedImage image) {
        float[] out = new float[imageLength()];
        toChw(image, out, 0);
        return out;
    }

    /** Writes the normalised CHW values of {@code image} into {@code dest} starting at {@code offset}. */
    public void toChw(BufferedImage image, float[] dest, int offset) {
        if (offset < 0 || dest.length - offset < imageLength()) {
            throw new IllegalArgumentException("destination has no room for " + imageLength() + " values at " + offset);
        }
        int[] packed = resizeCrop(image);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            float m = mean[c];
            float s = std[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dest[base + i] = normalise(packed[i] >>> shift & 0xFF, m, s);
            }
        }
    }

    /** NCHW float[N * 3 * S * S] for a batch, in list order. */
    public float[] batch(List<BufferedImage> images) {
        int length = imageLength();
        float[] out = new float[Math.multiplyExact(images.size(), length)];
        for (int n = 0; n < images.size(); n++) {
            toChw(images.get(n), out, n * length);
        }
        return out;
    }

    /** transformers rescale (float64 multiply, cast to float32). */
    static float rescale(int value) {
        return (float) (value * RESCALE);
    }

    /** transformers normalize: float32 {@code (x - mean) / std}. */
    static float normalise(int value, float mean, float std) {
        return (rescale(value) - mean) / std;
    }

    private int[] resizeCrop(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = RgbConverter.packedRgb(image);
        ResizeCrop geometry = ResizeCrop.of(w, h, size);
        return PilBicubicResampler.resize(pixels, w, h, geometry.resizedWidth(), geometry.resizedHeight(),
                geometry.cropLeft(), geometry.cropTop(), size, size);
    }
}
