package org.geopigeon.engine.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic a backbone forward pass runs in. Every precision takes and returns float32 (the
 * {@link Backbone} contract); only what happens inside differs.
 *
 * <ul>
 *   <li>{@link #FP32}: everything in float32 (the bundle's {@code backbone.file}).</li>
 *   <li>{@link #BF16}: mixed precision as {@code torch.autocast} does it: the patch convolution and all
 *       matrix products (linear layers, q&middot;k<sup>T</sup>, attention&middot;v) in bfloat16 with
 *       bfloat16 weights; layer norms, the residual stream and the final mean pooling in float32; the
 *       softmax reads bfloat16 scores and computes in float32. Fast on CPUs with native bf16
 *       ({@code avx512_bf16} or {@code amx_bf16}) and on CUDA GPUs of compute capability 8.0 or more.</li>
 *   <li>{@link #FP16}: the same with float16; CUDA only (CPUs have no fast float16 matrix products).</li>
 *   <li>{@link #INT8}: dynamic quantisation of the linear layers (int8 weights per output channel,
 *       activations quantised per call, {@code quantized::linear_dynamic} run by fbgemm); CPU only.</li>
 * </ul>
 * The reduced precisions are separate TorchScript files written by {@code tools/export_precision_variants.py}
 * and listed in the manifest's {@code backbone.variants} (see docs/bundle-format.md).
 */
public enum Precision {
    FP32("fp32"), BF16("bf16"), FP16("fp16"), INT8("int8");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** Lower-case name used in manifests, on the command line, in audit parameters and stored predictions. */
    public String id() {
        return id;
    }

    /** True when the precision can run on a CPU (fp16 cannot, in practice). */
    public boolean runsOnCpu() {
        return this != FP16;
    }

    /** True when the precision can run on a CUDA GPU (int8 dynamic quantisation is CPU only). */
    public boolean runsOnGpu() {
        return this != INT8;
    }

    /**
     * Parses {@code fp32}, {@code bf16}, {@code fp16} or {@code int8} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.id.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "': expected one of " + ids());
    }

    static String ids() {
        return Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
