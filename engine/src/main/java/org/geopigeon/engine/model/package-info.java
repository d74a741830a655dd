/**
 * The image encoder and the geocell head: {@link org.geopigeon.engine.model.Backbone} (a batch of normalised
 * images in, one embedding per image out), its DJL/TorchScript implementation
 * {@link org.geopigeon.engine.model.TorchScriptBackbone}, the {@link org.geopigeon.engine.model.GeocellHead},
 * and the run-time concerns around them: precision and micro-batching.
 *
 * <h2>Precision (issue 9)</h2>
 * A backbone computes in fp32, bf16 (autocast-style mixed precision), fp16 (CUDA) or int8 (dynamic
 * quantisation of the linear layers, CPU) -- see {@link org.geopigeon.engine.model.Precision}. Input and
 * output are float32 in every case, so nothing outside this package changes with the precision.
 *
 * <p><b>Why variant files, not conversion at load time.</b> The reduced precisions are separate TorchScript
 * files, written once by {@code tools/export_precision_variants.py} and listed in the manifest's
 * {@code backbone.variants} ({@code {"bf16": "backbone.bf16.pt", "int8": "backbone.int8.pt"}}):
 * <ul>
 *   <li>DJL 0.36's PyTorch JNI cannot re-type a loaded module (there is no {@code Module.to(dtype)}, and it
 *       crashes the JVM on any attempt to create a bfloat16 NDArray), so Java cannot convert weights;</li>
 *   <li>mixed precision needs casts inside the graph (layer norm and softmax in float32 around bfloat16
 *       matrix products), and int8 dynamic quantisation is a Python-level module swap
 *       ({@code quantize_dynamic}); both are done once where PyTorch's own tools exist;</li>
 *   <li>each variant is an ordinary TorchScript file with the same contract as {@code backbone.pt}, checked at
 *       load like it (zero-image forward, float32 output), and it records its precision in a TorchScript extra
 *       file ({@code geopigeon.json}), which the loader compares with the manifest;</li>
 *   <li>the bf16 file stores bf16 weights: half the memory of fp32, and no per-call weight casts (Python's
 *       autocast recasts every weight on every forward pass, which is part of why DJL bf16 beats it).</li>
 * </ul>
 * The cost is disk: a ViT-L/14 bundle grows from 1.2 GB to 2.1 GB with bf16 and int8.
 *
 * <p><b>Choosing.</b> {@link org.geopigeon.engine.model.PrecisionChoice} is what the user asks for
 * ({@code auto} by default; CLI {@code --precision}, {@code -Dgeopigeon.precision},
 * {@code $GEOPIGEON_PRECISION}); {@link org.geopigeon.engine.model.PrecisionResolver} turns it into a
 * precision for the {@link org.geopigeon.engine.model.ComputeTarget} (auto = bf16 on CPUs with
 * {@code avx512_bf16}/{@code amx_bf16} and on CUDA GPUs, fp16 on CUDA GPUs before compute capability 8.0,
 * else fp32). {@code ModelBundle.load(dir, choice)} applies it; {@link org.geopigeon.engine.model.Backbone#precision()}
 * and {@code Prediction.precision()} record what actually ran. {@link org.geopigeon.engine.model.PrecisionAgreement}
 * is the accuracy guard (cosine similarity to fp32, top-1/top-5 geocell agreement).
 *
 * <h2>Micro-batching</h2>
 * {@link org.geopigeon.engine.model.MicroBatchingBackbone} decorates any backbone so that concurrent single-image
 * calls share forward passes (max batch, max wait), each caller receiving its own rows.
 */
package org.geopigeon.engine.model;
