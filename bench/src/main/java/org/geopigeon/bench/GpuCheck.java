package org.geopigeon.bench;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.geopigeon.engine.model.ComputeTarget;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.model.PrecisionResolver;

/**
 * The GPU check of issue 9 (run by tools/gpu_check.sh on a CUDA host): confirms DJL sees a GPU, shows which
 * precision "auto" picks there, then runs {@link BackboneBenchmark} on the GPU in fp32, bf16 and fp16 (batch 1
 * and 8, accuracy against fp32). Exits 3 without a GPU, saying so: nothing is measured then.
 *
 * <pre>
 * java ... org.geopigeon.bench.GpuCheck --backbone /tmp/geopigeon-gpu-check/vitl14_336.pt [BackboneBenchmark options]
 * </pre>
 */
public final class GpuCheck {

    private GpuCheck() {
    }

    /**
     * Runs the GPU check ({@code tools/gpu_check.sh}) and prints what DJL sees and the timings; says so and exits
     * with code 3 when DJL sees no GPU or its engine does not start.
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int gpus;
        try {
            gpus = Engine.getEngine("PyTorch").getGpuCount();
        } catch (RuntimeException e) {
            System.out.println("GPU check: the DJL PyTorch engine did not start (" + e.getMessage() + ")");
            System.exit(3);
            return;
        }
        if (gpus == 0) {
            System.out.println("GPU check: DJL sees no GPU (libtorch " + Engine.getEngine("PyTorch").getVersion()
                    + "; a CPU-only libtorch, or no CUDA driver): the GPU path is unmeasured");
            System.exit(3);
            return;
        }
        ComputeTarget target = ComputeTarget.detect();
        System.out.println("GPU check: " + gpus + " GPU(s), backbones load on " + target);
        PrecisionResolver.Resolution auto = PrecisionResolver.resolve(PrecisionChoice.AUTO, target,
                EnumSet.of(Precision.BF16, Precision.FP16, Precision.INT8));
        System.out.println("GPU check: auto chooses " + auto.precision() + " (" + auto.reason() + ")");
        List<String> a = new ArrayList<>(List.of("--precision", "fp32,bf16,fp16", "--no-python", "--warmup", "3",
                "--iters", "10", "--warmup8", "2", "--iters8", "5", "--graph-optimizer", "false"));
        a.addAll(List.of(args));
        BackboneBenchmark.main(a.toArray(String[]::new));
    }
}
