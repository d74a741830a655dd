package org.geopigeon.engine.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
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
 */
public final class TorchScriptBackbone implements Backbone {

    /** The TorchScript method every module has; other methods are reached through DJL's "module_method:" input. */
    public static final String FORWARD = "forward";

    private final Path file;
    private final Model model;
    private final int inputSize;
    private final int dim;
    private final String method;

    private TorchScriptBackbone(Path file, Model model, int inputSize, int dim, String method) {
        this.file = file;
        this.model = model;
        this.inputSize = inputSize;
        this.dim = dim;
        this.method = method;
    }

    /**
     * Loads the module and runs one forward pass on a zero image to learn (and check) the output shape.
     *
     * @param file      TorchScript file (torch.jit.save)
     * @param inputSize side S of the square input
     * @throws IOException naming the file when it is missing, not TorchScript, or does not map [1,3,S,S] to [1,D]
     */
    public static TorchScriptBackbone load(Path file, int inputSize) throws IOException {
        return load(file, inputSize, FORWARD);
    }

    /**
     * Like {@link #load(Path, int)}, but embeds with the module's TorchScript method {@code method} (e.g. CLIP's
     * {@code get_image_features}, exported with {@code @torch.jit.export}) instead of {@code forward}.
     *
     * @throws IOException naming the file and the method when the module lacks it or it does not map [1,3,S,S] to [1,D]
     */
    public static TorchScriptBackbone load(Path file, int inputSize, String method) throws IOException {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method name must not be blank");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": backbone file not found");
        }
        DjlRuntime.configure();
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new IOException("cannot start the DJL PyTorch engine to load " + file + ": " + e.getMessage(), e);
        }
        Device device = DjlRuntime.device(engine);
        Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
        try {
            // mapLocation: a module saved on a GPU loads onto whatever device we chose.
            model.load(file.toAbsolutePath(), null, Map.of("mapLocation", "true"));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            // libtorch reports corrupt archives as EngineException or other RuntimeExceptions.
            model.close();
            throw new IOException(file + ": not a loadable TorchScript module (" + firstLine(e) + ")", e);
        }
        TorchScriptBackbone b = new TorchScriptBackbone(file, model, inputSize, -1, method);
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
        return new TorchScriptBackbone(file, model, inputSize, Math.toIntExact(shape[1]), method);
    }

    private long[] forwardShape(float[] nchw, int n) {
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList out = predictor.predict(inputs(manager, nchw, n));
            long[] shape = out.head().getShape().getShape();
            out.close();
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
            flat = (y.getDataType() == DataType.FLOAT32 ? y : y.toType(DataType.FLOAT32, false)).toFloatArray();
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
