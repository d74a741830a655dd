package org.geopigeon.engine.model;

/**
 * Image encoder: a batch of normalised images in, one embedding per image out.
 * Implementations are thread-safe: one instance serves concurrent requests.
 */
public interface Backbone extends AutoCloseable {

    /** Side S of the square input images. */
    int inputSize();

    /** Length D of one embedding. */
    int embeddingDim();

    /**
     * Embeds {@code n} images.
     *
     * @param nchw normalised pixels, layout [n, 3, S, S] row-major (length n*3*S*S)
     * @param n    number of images, at least 1
     * @return [n][D] embeddings
     */
    float[][] embed(float[] nchw, int n);

    /** Where the forward pass runs, e.g. "cpu()" or "gpu(0)". */
    String device();

    /**
     * The arithmetic the forward pass runs in (input and output are float32 whatever it is). Recorded with
     * every prediction. Implementations that do not say are fp32.
     */
    default Precision precision() {
        return Precision.FP32;
    }

    /** Releases native memory; no exceptions (overrides {@link AutoCloseable#close()} to drop the checked one). */
    @Override
    void close();
}
