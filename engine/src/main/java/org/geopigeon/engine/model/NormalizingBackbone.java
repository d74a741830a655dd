package org.geopigeon.engine.model;

import java.util.Objects;

/**
 * Divides every embedding of another backbone by its L2 norm. CLIP compares images and texts by cosine
 * similarity (Radford et al. 2021, §2.3), so a zero-shot head, whose rows are normalised text embeddings, takes
 * the normalised projected image embedding. Thread-safe when the wrapped backbone is; closing closes it.
 */
public final class NormalizingBackbone implements Backbone {

    /** Below this norm an embedding is left as it is rather than blown up (an all-zero output stays zero). */
    static final double MIN_NORM = 1e-12;

    private final Backbone inner;

    public NormalizingBackbone(Backbone inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public int inputSize() {
        return inner.inputSize();
    }

    @Override
    public int embeddingDim() {
        return inner.embeddingDim();
    }

    @Override
    public float[][] embed(float[] nchw, int n) {
        float[][] rows = inner.embed(nchw, n);
        for (float[] r : rows) {
            normalizeInPlace(r);
        }
        return rows;
    }

    /** Scales {@code v} to unit L2 norm (accumulated in double); leaves a (near-)zero vector unchanged. */
    public static void normalizeInPlace(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double norm = Math.sqrt(s);
        if (norm < MIN_NORM) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
    }

    @Override
    public String device() {
        return inner.device();
    }

    @Override
    public Precision precision() {
        return inner.precision();
    }

    @Override
    public void close() {
        inner.close();
    }
}
