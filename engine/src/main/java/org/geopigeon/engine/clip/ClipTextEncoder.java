package org.geopigeon.engine.clip;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.geopigeon.engine.model.DjlRuntime;

/**
 * CLIP's text tower as TorchScript (tools/export_clip_text.py), run by DJL's PyTorch engine: int64 token ids
 * [N,L] in, text features float [N,P] out (end-of-text pooling and text_projection inside the module, as Hugging
 * Face's CLIPModel.get_text_features; not normalised). Same device rules as the image backbone. Thread-safe: one
 * predictor per call.
 */
public final class ClipTextEncoder implements AutoCloseable {

    private final Path file;
    private final Model model;
    private final int contextLength;
    private final int dim;

    private ClipTextEncoder(Path file, Model model, int contextLength, int dim) {
        this.file = file;
        this.model = model;
        this.contextLength = contextLength;
        this.dim = dim;
    }

    /**
     * Loads the module and checks it maps [1,L] ids to [1,P].
     *
     * @param file          text tower TorchScript
     * @param contextLength L
     * @param probeIds      one valid row of L ids (e.g. the tokenised empty text) for the shape check
     * @throws IOException naming the file when it is missing, not TorchScript, or has the wrong output shape
     */
    public static ClipTextEncoder load(Path file, int contextLength, long[] probeIds) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": text tower file not found");
        }
        if (probeIds.length != contextLength) {
            throw new IllegalArgumentException("probe row has " + probeIds.length + " ids, expected " + contextLength);
        }
        Engine engine = DjlRuntime.pytorch("to load " + file);
        Device device = DjlRuntime.device(engine);
        Model model = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
        try {
            model.load(file.toAbsolutePath(), null, Map.of("mapLocation", "true"));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(file + ": not a loadable TorchScript module (" + ClipTokenizer.firstLine(e) + ")", e);
        }
        ClipTextEncoder probe = new ClipTextEncoder(file, model, contextLength, -1);
        float[][] out;
        try {
            out = probe.run(probeIds, 1, -1);
        } catch (RuntimeException e) {
            model.close();
            throw new IOException(file + ": text tower failed on a [1, " + contextLength + "] id row ("
                    + ClipTokenizer.firstLine(e) + ")", e);
        }
        return new ClipTextEncoder(file, model, contextLength, out[0].length);
    }

    /**
     * @param ids row-major [n, L] token ids (from {@link ClipTokenizer#encode})
     * @return [n][P] text features, not normalised
     */
    public float[][] encode(long[] ids, int n) {
        if (n < 1 || ids.length != (long) n * contextLength) {
            throw new IllegalArgumentException("expected " + n + " rows of " + contextLength + " ids, got " + ids.length);
        }
        return run(ids, n, dim);
    }

    private float[][] run(long[] ids, int n, int expectDim) {
        try (NDManager manager = model.getNDManager().newSubManager();
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDArray x = manager.create(ids, new Shape(n, contextLength));
            NDList out = predictor.predict(new NDList(x));
            NDArray y = out.head();
            long[] shape = y.getShape().getShape();
            if (shape.length != 2 || shape[0] != n || shape[1] < 1 || (expectDim > 0 && shape[1] != expectDim)) {
                out.close();
                throw new IllegalStateException(file + ": text tower returned shape " + Arrays.toString(shape) + " for "
                        + n + " rows, expected [" + n + ", " + (expectDim > 0 ? expectDim : "P") + "]");
            }
            float[] flat = (y.getDataType() == DataType.FLOAT32 ? y : y.toType(DataType.FLOAT32, false)).toFloatArray();
            out.close();
            int p = (int) shape[1];
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(flat, i * p, (i + 1) * p);
            }
            return rows;
        } catch (TranslateException e) {
            throw new IllegalStateException(file + ": text tower forward pass failed: " + e.getMessage(), e);
        }
    }

    /** Tokens per sequence the text tower takes (77 for OpenAI CLIP); shorter inputs are padded, longer ones cut. */
    public int contextLength() {
        return contextLength;
    }

    /** Width P of the projected text features one sequence encodes to (768 for ViT-L/14, 512 for ViT-B). */
    public int embeddingDim() {
        return dim;
    }

    @Override
    public void close() {
        model.close();
    }
}
