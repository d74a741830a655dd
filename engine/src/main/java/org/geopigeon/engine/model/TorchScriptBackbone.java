package org.geopigeon.engine.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A TorchScript image encoder run by DJL's PyTorch engine: float [N,3,S,S] in, float [N,D] out.
 *
 * <p>Runs on the first GPU when libtorch sees one, else on the CPU (override with the system
 * property {@code geopigeon.device=cpu}). Never downloads anything: {@link DjlRuntime} forces
 * DJL's offline mode before the engine starts.
 *
 * <p>Thread-safety: the loaded module is shared and read-only; each {@link #embed} call makes its
 * own {@link Predictor} (a few small Java objects, no native allocation) because DJL predictors are
 * not thread-safe. DJL's PyTorch predictor runs the module in eval mode without autograd.
 *
 * <p>Precision: the file computes in whatever precision it was written in (see {@link Precision}); input
 * and output are float32 in every case. Variant files written by {@code tools/export_precision_variants.py}
 * carry a TorchScript extra file {@value #EXTRA_FILE} naming their precision, which {@link #load(Path, int,
 * Precision)} checks against the precision the caller expects, so a swapped or mislabelled file fails at
 * load instead of silently running in another precision.
 *
 * <p>Passes: on the CPU a batch runs one image per forward pass. Measured on the 2-core AVX-512 BF16 machine
 * with ViT-L/14@336 (images/s with 1, 2, 4, 8 images per pass): int8 1.13, 0.84, 0.73, 0.73 (a larger batch's
 * activations are quantised with one scale and spill the caches); fp32 0.41, 0.41, 0.38, 0.38; bf16 0.79-0.87,
 * 0.80, 0.81, 0.80. One image per pass is never slower there, and it keeps a batch's activations small. On a
 * GPU batches run whole. {@code -Dgeopigeon.cpuImagesPerPass=N} overrides the CPU setting (many-core servers
 * may gain from larger passes: measure with tools/benchmark.sh).
 */
public final class TorchScriptBackbone implements Backbone {

    /** The TorchScript method every module has; other methods are reached through DJL's "module_method:" input. */
    public static final String FORWARD = "forward";

    /** TorchScript extra file (JSON) in which precision variants record {@code {"precision": "bf16", ...}}. */
    public static final String EXTRA_FILE = "geopigeon.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Model model;
    private final int inputSize;
    private final int dim;
    private final String method;
    private final Precision precision;
    private final int imagesPerPass;

    private TorchScriptBackbone(Path file, Model model, int inputSize, int dim, String method, Precision precision,
                                int imagesPerPass) {
        this.file = file;
        this.model = model;
        this.inputSize = inputSize;
        this.dim = dim;
        this.method = method;
        this.precision = precision;
        this.imagesPerPass = imagesPerPass;
    }

    /**
     * Loads the module and runs one forward pass on a zero image to learn (and check) the output shape.
     * The precision is the one the file declares in {@value #EXTRA_FILE}, else fp32.
     *
     * @param file      TorchScript file (torch.jit.save)
     * @param inputSize side S of the square input
     * @throws IOException naming the file when it is missing, not TorchScript, or does not map [1,3,S,S] to [1,D]
     */
    public static TorchScriptBackbone load(Path file, int inputSize) throws IOException {
        return load(file, inputSize, FORWARD, null);
    }

    /**
     * Like {@link #load(Path, int)}, but embeds with the module's TorchScript method {@code method} (e.g. CLIP's
     * {@code get_image_features}, exported with {@code @torch.jit.export}) instead of {@code forward}.
     *
     * @throws IOException naming the file and the method when the module lacks it or it does not map [1,3,S,S] to [1,D]
     */
    public static TorchScriptBackbone load(Path file, int inputSize, String method) throws IOException {
        return load(file, inputSize, method, null);
    }

    /** Loads a backbone file that computes in {@code expected} precision, embedding with {@code forward}. */
    public static TorchScriptBackbone load(Path file, int inputSize, Precision expected) throws IOException {
        return load(file, inputSize, FORWARD, expected);
    }

    /**
     * Loads a backbone file, embedding with TorchScript method {@code method}, that computes in {@code expected}
     * precision (see {@link #load(Path, int)}).
     *
     * @param method   the module's method that maps [N,3,S,S] to [N,D] ({@value #FORWARD} for image encoders)
     * @param expected the precision the file must declare; null accepts what it declares (fp32 when silent).
     *                 A file without a declaration is accepted only as fp32.
     * @throws IOException also when the file declares another precision, or when the precision cannot run on
     *                     the device libtorch chose (fp16 on a CPU, int8 on a GPU)
     */
    public static TorchScriptBackbone load(Path file, int inputSize, String method, Precision expected)
            throws IOException {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method name must not be blank");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": backbone file not found");
        }
        Engine engine = DjlRuntime.pytorch("to load " + file);
        Device device = DjlRuntime.device(engine);
        if (expected != null && (device.isGpu() ? !expected.runsOnGpu() : !expected.runsOnCpu())) {
            throw new IOException(file + ": a " + expected + " backbone cannot run on " + device);
        }
        Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
        try {
            // mapLocation: a module saved on a GPU loads onto whatever device we chose.
            // extraFiles: DJL copies the named TorchScript extra file into the model's properties.
            model.load(file.toAbsolutePath(), null, Map.of("mapLocation", "true", "extraFiles", EXTRA_FILE));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            // libtorch reports corrupt archives as EngineException or other RuntimeExceptions.
            model.close();
            throw new IOException(file + ": not a loadable TorchScript module (" + firstLine(e) + ")", e);
        }
        Precision precision;
        try {
            precision = checkPrecision(file, declaredPrecision(file, model.getProperty(EXTRA_FILE)), expected);
        } catch (IOException e) {
            model.close();
            throw e;
        }
        int perPass;
        try {
            perPass = DjlRuntime.imagesPerPass(device, precision);
        } catch (IllegalArgumentException e) {
            model.close();
            throw new IOException(e.getMessage(), e);
        }
        TorchScriptBackbone b = new TorchScriptBackbone(file, model, inputSize, -1, method, precision, perPass);
        long[] shape;
        try {
            shape = b.forwardShape(new float[3 * inputSize * inputSize], 1);
        } catch (RuntimeException e) {
            model.close();
            throw new IOException(file + ": " + (FORWARD.equals(method) ? "forward pass" : "method '" + method + "'")
                    + " on a [1, 3, " + inputSize + ", " + inputSize + "] zero image failed (" + firstLine(e) + ")", e);
        }
        if (shape.length != 2 || shape[0] != 1 || shape[1] < 1) {
            model.close();
            throw new IOException(file + ": backbone maps [1, 3, " + inputSize + ", " + inputSize + "] to "
                    + Arrays.toString(shape) + ", expected [1, D]");
        }
        return new TorchScriptBackbone(file, model, inputSize, Math.toIntExact(shape[1]), method, precision,
                perPass);
    }

    /** The precision in the file's {@value #EXTRA_FILE}, or null when it has none (plain fp32 exports). */
    static Precision declaredPrecision(Path file, String extraJson) throws IOException {
        if (extraJson == null || extraJson.isBlank()) {
            return null;
        }
        try {
            JsonNode p = MAPPER.readTree(extraJson).path("precision");
            return p.isTextual() ? Precision.parse(p.asText()) : null;
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": its " + EXTRA_FILE + " does not name a valid precision ("
                    + firstLine(e) + ")", e);
        }
    }

    static Precision checkPrecision(Path file, Precision declared, Precision expected) throws IOException {
        Precision actual = declared == null ? Precision.FP32 : declared;
        if (expected != null && actual != expected) {
            throw new IOException(file + ": expected a " + expected + " backbone but the file "
                    + (declared == null ? "declares no precision (a plain fp32 export)" : "declares " + declared));
        }
        return actual;
    }

    private long[] forwardShape(float[] nchw, int n) {
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList out = predictor.predict(inputs(manager, nchw, n));
            long[] shape = out.head().getShape().getShape();
            DataType type = out.head().getDataType();
            out.close();
            if (type != DataType.FLOAT32) {
                throw new IllegalStateException("output is " + type + ", expected float32");
            }
            return shape;
        } catch (TranslateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private NDList inputs(NDManager manager, float[] nchw, int n) {
        NDList in = new NDList(manager.create(nchw, new Shape(n, 3, inputSize, inputSize)));
        if (!FORWARD.equals(method)) {
            // DJL's PyTorch engine runs the method named by an input array called "module_method:NAME".
            NDArray marker = manager.create(0f);
            marker.setName("module_method:" + method);
            in.add(marker);
        }
        return in;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    @Override
    public float[][] embed(float[] nchw, int n) {
        long per = 3L * inputSize * inputSize;
        if (n < 1 || nchw.length != n * per) {
            throw new IllegalArgumentException("expected " + n + " images of 3x" + inputSize + "x" + inputSize
                    + " = " + n * per + " floats, got " + nchw.length);
        }
        if (n <= imagesPerPass) {
            return pass(nchw, n);
        }
        float[][] rows = new float[n][];
        for (int start = 0; start < n; start += imagesPerPass) {
            int k = Math.min(imagesPerPass, n - start);
            float[] chunk = Arrays.copyOfRange(nchw, (int) (start * per), (int) ((start + k) * per));
            System.arraycopy(pass(chunk, k), 0, rows, start, k);
        }
        return rows;
    }

    /** One forward pass over all n images of nchw. */
    private float[][] pass(float[] nchw, int n) {
        float[] flat;
        long[] shape;
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList out = predictor.predict(inputs(manager, nchw, n));
            NDArray y = out.head();
            shape = y.getShape().getShape();
            if (shape.length != 2 || shape[0] != n || shape[1] != dim) {
                out.close();
                throw new IllegalStateException(file + ": backbone returned shape " + Arrays.toString(shape)
                        + " for " + n + " images, expected [" + n + ", " + dim + "]");
            }
            if (y.getDataType() != DataType.FLOAT32) {
                // The contract for every precision: float32 out (DJL 0.36 cannot convert bfloat16 arrays itself).
                out.close();
                throw new IllegalStateException(file + ": backbone returned " + y.getDataType()
                        + " embeddings, expected float32 (precision variants cast their output back)");
            }
            flat = y.toFloatArray();
            out.close();
        } catch (TranslateException e) {
            throw new IllegalStateException(file + ": backbone forward pass failed: " + e.getMessage(), e);
        }
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return rows;
    }

    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /**
     * Most images one forward pass takes; {@link #embed} runs larger calls in passes of this size. See
     * {@code DjlRuntime#imagesPerPass}: one image per pass on the CPU (unless {@code -Dgeopigeon.cpuImagesPerPass}),
     * unlimited on a GPU.
     */
    public int imagesPerPass() {
        return imagesPerPass;
    }

    /** The TorchScript file that was loaded (the precision variant's file when one was chosen). */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        model.close();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
