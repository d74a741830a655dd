package org.geopigeon.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.io.IOException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * DJL settings that must be in place before the PyTorch engine starts. DJL reads them from
 * system properties, so this is the one place that sets process-wide properties, and only
 * those the user has not set.
 */
public final class DjlRuntime {

    /** User knob: intra-op threads for libtorch (DJL's own property wins when both are set). */
    static final String THREADS = "geopigeon.threads";
    /** User knob: "cpu" forces the CPU even when a GPU is visible; "auto" (the default) takes the first GPU. */
    static final String DEVICE = "geopigeon.device";
    /** User knob: most images per CPU forward pass, for every precision (see {@link #imagesPerPass}). */
    static final String CPU_IMAGES_PER_PASS = "geopigeon.cpuImagesPerPass";

    private DjlRuntime() {
    }

    /**
     * Checks the engine settings ({@value #THREADS}, {@value #DEVICE}, {@value #CPU_IMAGES_PER_PASS}; JVM system
     * properties, docs/configuration.md "Engine and runtime") of this JVM. Every front end calls it before it starts
     * (through {@code GeoPigeonConfig}, the CLI's entry point) and {@link #configure()} before the engine starts, so
     * a mistyped value is refused instead of silently falling back to a default.
     *
     * @throws IllegalArgumentException naming the setting, the value and what is allowed
     */
    public static void checkSettings() {
        checkSettings(System::getProperty);
    }

    /**
     * {@link #checkSettings()} on the given property lookup (tests pass a map). Blank counts as unset.
     *
     * @param properties system property lookup: name to value or null
     * @throws IllegalArgumentException naming the setting, the value and what is allowed
     */
    public static void checkSettings(UnaryOperator<String> properties) {
        threads(properties.apply(THREADS));
        forcesCpu(properties.apply(DEVICE));
        cpuImagesPerPass(properties.apply(CPU_IMAGES_PER_PASS));
    }

    /** Sets DJL's offline mode and thread properties the user has not set; call before the engine starts.
     *
     * @throws IllegalArgumentException when an engine setting is invalid ({@link #checkSettings()})
     */
    public static synchronized void configure() {
        checkSettings();
        // Inference must never trigger a download (air-gapped GIS servers); natives come from the jar.
        setIfAbsent("ai.djl.offline", "true");
        Integer threads = threads(System.getProperty(THREADS));
        if (threads != null) {
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        // One request = one forward pass: inter-op parallelism only competes with intra-op threads.
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        // TorchScript's profiling executor re-optimises each input shape over its first runs (several slow
        // passes of a CPU ViT-L, tens of seconds in bf16) and fuses nothing on the CPU; off, the first pass is
        // already at full speed and the steady state is as fast or faster (tools/benchmark.sh, issue 9).
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
    }

    /**
     * {@link #configure() Configures} DJL and starts (once per JVM; DJL keeps it) its PyTorch engine: the one way
     * inference, training, pretraining and the text tower get the engine, so all of them run with the same
     * offline, thread and graph-optimiser settings.
     *
     * @param forWhat what needs it, for the message ("to load backbone.pt", "to train the geocell head")
     * @throws IOException when the engine cannot start (natives missing or not loadable), naming {@code forWhat}
     */
    public static Engine pytorch(String forWhat) throws IOException {
        configure();
        try {
            return Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new IOException("cannot start the DJL PyTorch engine " + forWhat + ": " + e.getMessage(), e);
        }
    }

    /**
     * Threads that decode and preprocess images while the backbone runs (locate, gallery building): a quarter of the
     * cores, 1 to 4, leaving the rest to libtorch's intra-op threads. Measured on the 2-core build machine, one decode
     * thread kept a ViT-L backbone fed (README, "Overlap").
     */
    public static int defaultDecodeThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4));
    }

    /**
     * The first GPU when libtorch sees one and {@code geopigeon.device} is not "cpu", else the CPU.
     *
     * @throws IllegalArgumentException when {@value #DEVICE} is neither {@code auto} nor {@code cpu}
     */
    public static Device device(Engine engine) {
        if (forcesCpu(System.getProperty(DEVICE)) || engine.getGpuCount() == 0) {
            return Device.cpu();
        }
        return Device.gpu();
    }

    /**
     * Most images one forward pass takes. GPUs gain from batches; on the CPU a ViT pass was measured no faster
     * per image with more images (slower for fp32 and int8; TorchScriptBackbone's Javadoc has the figures), so
     * CPU passes take one image and a batch costs no more per image than a single image.
     *
     * @throws IllegalArgumentException when {@value #CPU_IMAGES_PER_PASS} is not a positive integer
     */
    static int imagesPerPass(Device device, Precision precision) {
        if (device.isGpu()) {
            return Integer.MAX_VALUE;
        }
        return cpuImagesPerPass(System.getProperty(CPU_IMAGES_PER_PASS));
    }

    /** {@value #THREADS}: null when unset, else a positive integer. */
    private static Integer threads(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return positive(THREADS, v, "the number of libtorch intra-op threads, e.g. 8");
    }

    /** {@value #DEVICE}: true for "cpu", false for unset or "auto". */
    private static boolean forcesCpu(String v) {
        if (v == null || v.isBlank()) {
            return false;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return true;
        }
        if (t.equals("auto")) {
            return false;
        }
        // "gpu" is the commonest mistake: say that a GPU is already the default when libtorch sees one.
        throw new IllegalArgumentException("system property " + DEVICE + " must be 'auto' (the first GPU libtorch"
                + " sees, else the CPU) or 'cpu' (force the CPU), got '" + v + "'");
    }

    /** {@value #CPU_IMAGES_PER_PASS}: 1 when unset, else a positive integer. */
    private static int cpuImagesPerPass(String v) {
        if (v == null || v.isBlank()) {
            return 1;
        }
        return positive(CPU_IMAGES_PER_PASS, v, "the most images per CPU forward pass");
    }

    private static int positive(String property, String v, String meaning) {
        try {
            int n = Integer.parseInt(v.trim().replace("_", ""));
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + property + " must be a positive integer (" + meaning
                + "), got '" + v + "'");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
