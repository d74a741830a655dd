package org.geopigeon.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;

/**
 * Where backbones run in this process, as far as precision choice needs it: the DJL device (first GPU
 * when libtorch sees one, unless {@code -Dgeopigeon.device=cpu}), the GPU's CUDA compute capability, and
 * the CPU's instruction-set flags.
 *
 * @param device                DJL device, {@code cpu()} or {@code gpu(0)}
 * @param cudaComputeCapability e.g. {@code "86"} for 8.6 as DJL reports it, or null on the CPU / when unknown
 * @param cpu                   CPU flags from /proc/cpuinfo
 */
public record ComputeTarget(Device device, String cudaComputeCapability, CpuFeatures cpu) {

    /** True when the device is a GPU. */
    public boolean gpu() {
        return device.isGpu();
    }

    /** Major CUDA compute capability (8 for "86"), or -1 when unknown. */
    public int cudaMajor() {
        String c = cudaComputeCapability;
        if (c == null || c.length() < 2 || !c.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(c.substring(0, c.length() - 1));
    }

    /** A CPU target with the given flags (tests, and hosts without a GPU). */
    public static ComputeTarget cpu(CpuFeatures cpu) {
        return new ComputeTarget(Device.cpu(), null, cpu);
    }

    /**
     * Starts DJL's PyTorch engine (offline) if needed and reports the device backbones will load onto.
     *
     * @throws IOException when the engine cannot start (missing natives)
     */
    public static ComputeTarget detect() throws IOException {
        Engine engine = DjlRuntime.pytorch("to choose the device");
        Device device = DjlRuntime.device(engine);
        String capability = null;
        if (device.isGpu()) {
            try {
                capability = CudaUtils.getComputeCapability(device.getDeviceId());
            } catch (RuntimeException | LinkageError e) {
                capability = null; // unknown: the resolver then prefers fp16, which every CUDA GPU runs
            }
        }
        return new ComputeTarget(device, capability, CpuFeatures.detect());
    }

    @Override
    public String toString() {
        return device + (gpu() ? " (CUDA compute capability " + (cudaComputeCapability == null ? "unknown"
                : cudaComputeCapability) + ")" : " (native bf16: " + cpu.bf16Flags() + ")");
    }
}
