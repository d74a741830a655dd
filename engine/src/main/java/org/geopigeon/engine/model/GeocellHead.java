package org.geopigeon.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.Tensor;

/**
 * The geocell classifier: a linear layer from a D-dimensional embedding to C geocell logits,
 * followed by softmax. Plain Java because it is tiny (C*D multiply-adds) next to the backbone,
 * and keeping it out of TorchScript lets training write new heads without Python.
 *
 * <p>File: safetensors with {@code weight} F32 [C, D] (row-major, as torch.nn.Linear) and
 * {@code bias} F32 [C]. Immutable and thread-safe.
 */
public final class GeocellHead {

    private final int cells;
    private final int dim;
    private final float[] weight;
    private final float[] bias;

    /**
     * @param weight row-major [cells, dim]
     * @param bias   [cells]
     */
    public GeocellHead(int cells, int dim, float[] weight, float[] bias) {
        if (cells < 1 || dim < 1) {
            throw new IllegalArgumentException("head needs at least one cell and one dimension, got C=" + cells + ", D=" + dim);
        }
        if (weight.length != (long) cells * dim) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected C*D = " + cells + "*" + dim);
        }
        if (bias.length != cells) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected C = " + cells);
        }
        checkFinite(weight, "weight");
        checkFinite(bias, "bias");
        this.cells = cells;
        this.dim = dim;
        this.weight = weight.clone();
        this.bias = bias.clone();
    }

    /** Reads a head file; every problem is reported as an IOException naming the file and tensor. */
    public static GeocellHead read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": head file not found");
        }
        Map<String, Tensor> t = Safetensors.read(file);
        Tensor w = require(file, t, "weight", 2);
        Tensor b = require(file, t, "bias", 1);
        if (b.shape()[0] != w.shape()[0]) {
            throw new IOException(file + ": tensor 'bias' has " + b.shape()[0] + " values but 'weight' has "
                    + w.shape()[0] + " rows");
        }
        float[] wv = w.toFloats();
        float[] bv = b.toFloats();
        try {
            checkFinite(wv, "weight");
            checkFinite(bv, "bias");
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        return new GeocellHead(Math.toIntExact(w.shape()[0]), Math.toIntExact(w.shape()[1]), wv, bv);
    }

    /** Writes the head atomically (safetensors, F32). */
    public void write(Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("weight", Tensor.f32(weight, cells, dim));
        t.put("bias", Tensor.f32(bias, cells));
        Safetensors.write(file, t, Map.of("format", "geopigeon-head/1"));
    }

    private static Tensor require(Path file, Map<String, Tensor> t, String name, int rank) throws IOException {
        Tensor x = t.get(name);
        if (x == null) {
            throw new IOException(file + ": head lacks tensor '" + name + "'");
        }
        if (x.dtype() != DType.F32) {
            throw new IOException(file + ": tensor '" + name + "' is " + x.dtype() + ", expected F32");
        }
        if (x.shape().length != rank) {
            throw new IOException(file + ": tensor '" + name + "' has rank " + x.shape().length + ", expected " + rank);
        }
        return x;
    }

    private static void checkFinite(float[] v, String name) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("tensor '" + name + "' holds a non-finite value (" + v[i]
                        + ") at flat index " + i);
            }
        }
    }

    /** Number of geocells C, the rows of the weight matrix. */
    public int numCells() {
        return cells;
    }

    /** A copy of the weights, row-major [C, D]. */
    public float[] weights() {
        return weight.clone();
    }

    /** A copy of the bias, [C]. */
    public float[] biases() {
        return bias.clone();
    }

    /**
     * Embedding width D the head takes (1024 for ViT-L/14's mean token; the projection width for CLIP-image heads).
     */
    public int dim() {
        return dim;
    }

    /** weight · embedding + bias, accumulated in double so the result does not depend on D's size. */
    public float[] logits(float[] embedding) {
        if (embedding.length != dim) {
            throw new IllegalArgumentException("embedding has dimension " + embedding.length + ", head expects " + dim);
        }
        float[] out = new float[cells];
        for (int c = 0; c < cells; c++) {
            int row = c * dim;
            double s = bias[c];
            for (int i = 0; i < dim; i++) {
                s += (double) weight[row + i] * embedding[i];
            }
            out[c] = (float) s;
        }
        return out;
    }

    /** Softmax of the logits of {@link #logits} (convenience). */
    public double[] probabilities(float[] embedding) {
        return softmax(logits(embedding));
    }

    /** Numerically stable softmax: subtracts the maximum before exponentiating, so large logits cannot overflow. */
    public static double[] softmax(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("softmax of an empty vector");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            if (Float.isNaN(l)) {
                throw new IllegalArgumentException("softmax input contains NaN");
            }
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
