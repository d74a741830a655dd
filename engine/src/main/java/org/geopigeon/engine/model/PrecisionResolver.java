package org.geopigeon.engine.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a {@link PrecisionChoice} into the {@link Precision} a backbone loads in, given the hardware and
 * the variants a bundle has (issue 9: "auto" = bf16 on CPUs with native bf16 and on CUDA GPUs, fp32
 * otherwise).
 *
 * <p>Rules, in order:
 * <ul>
 *   <li>A fixed choice is honoured or refused with a reason: the variant must exist; fp16 needs a GPU;
 *       int8 needs the CPU. bf16 on a CPU without native bf16 is allowed (libtorch emulates it, slowly).</li>
 *   <li>{@code auto} on a CUDA GPU: bf16 from compute capability 8.0 (Ampere) when the bundle has it, else
 *       fp16 when the bundle has it, else fp32. Older GPUs lack bf16 tensor cores, so they get fp16.</li>
 *   <li>{@code auto} on a CPU: bf16 when the CPU has {@code avx512_bf16} or {@code amx_bf16} and the bundle
 *       has a bf16 variant, else fp32. int8 is never chosen automatically: its accuracy is model-dependent
 *       (see the accuracy guard in {@code tools/benchmark.sh}).</li>
 * </ul>
 * Stateless; thread-safe.
 */
public final class PrecisionResolver {

    /**
     * @param precision what to load
     * @param reason    one line for logs, e.g. "auto: CPU has avx512_bf16 and the bundle has a bf16 variant"
     */
    public record Resolution(Precision precision, String reason) {
        public Resolution {
            Objects.requireNonNull(precision, "precision");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private PrecisionResolver() {
    }

    /**
     * @param choice    what the user asked for
     * @param target    where the backbone will run
     * @param available precisions the bundle has files for (fp32 is always added)
     * @throws IllegalArgumentException when a fixed choice cannot run here; the message says why and what to do
     */
    public static Resolution resolve(PrecisionChoice choice, ComputeTarget target, Set<Precision> available) {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(target, "target");
        Set<Precision> have = EnumSet.of(Precision.FP32);
        have.addAll(available);
        if (choice.fixed().isPresent()) {
            return fixed(choice.fixed().get(), target, have);
        }
        if (target.gpu()) {
            int major = target.cudaMajor();
            if (major >= 8 && have.contains(Precision.BF16)) {
                return new Resolution(Precision.BF16, "auto: GPU of compute capability " + target.cudaComputeCapability()
                        + " runs bf16 and the bundle has a bf16 variant");
            }
            if (have.contains(Precision.FP16)) {
                return new Resolution(Precision.FP16, "auto: GPU" + (major >= 8 ? "" : " without bf16 tensor cores")
                        + ", the bundle has an fp16 variant");
            }
            return new Resolution(Precision.FP32, "auto: GPU, but the bundle has no " + (major >= 8 ? "bf16 or " : "")
                    + "fp16 variant (tools/export_precision_variants.py writes them)");
        }
        if (!target.cpu().nativeBf16()) {
            return new Resolution(Precision.FP32, "auto: this CPU has no native bf16 (avx512_bf16 / amx_bf16)");
        }
        if (!have.contains(Precision.BF16)) {
            return new Resolution(Precision.FP32, "auto: CPU has " + target.cpu().bf16Flags()
                    + " but the bundle has no bf16 variant (tools/export_precision_variants.py writes it)");
        }
        return new Resolution(Precision.BF16, "auto: CPU has " + target.cpu().bf16Flags()
                + " and the bundle has a bf16 variant");
    }

    private static Resolution fixed(Precision p, ComputeTarget target, Set<Precision> have) {
        if (target.gpu() && !p.runsOnGpu()) {
            throw new IllegalArgumentException("precision " + p + " runs only on the CPU (dynamic quantisation has no CUDA"
                    + " kernels); choose bf16, fp16 or fp32 on a GPU, or force the CPU with -Dgeopigeon.device=cpu");
        }
        if (!target.gpu() && !p.runsOnCpu()) {
            throw new IllegalArgumentException("precision " + p + " runs only on a CUDA GPU (CPUs have no fast float16"
                    + " matrix products); choose bf16, int8 or fp32 on the CPU");
        }
        if (!have.contains(p)) {
            throw new IllegalArgumentException("the bundle has no " + p + " backbone variant (it has "
                    + have.stream().map(Precision::id).collect(Collectors.joining(", "))
                    + "); write it with /usr/bin/python3 tools/export_precision_variants.py --bundle DIR --precisions " + p);
        }
        String note = p == Precision.BF16 && !target.gpu() && !target.cpu().nativeBf16()
                ? " (this CPU has no native bf16: libtorch emulates it, slower than fp32)" : "";
        return new Resolution(p, "requested" + note);
    }
}
