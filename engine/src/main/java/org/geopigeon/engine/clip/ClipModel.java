package org.geopigeon.engine.clip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.NormalizingBackbone;
import org.geopigeon.engine.model.TorchScriptBackbone;

/**
 * The CLIP parts of a bundle (manifest section {@code clip}, docs/bundle-format.md): tokenizer and text tower,
 * the logit scale, and on request the joint-space image encoder. Needs no geocells or head, so a freshly imported
 * checkpoint loads. Thread-safe; close it to free native memory.
 */
public final class ClipModel implements AutoCloseable {

    private final Path directory;
    private final BundleManifest manifest;
    private final ClipTokenizer tokenizer;
    private final ClipTextEncoder text;

    private ClipModel(Path directory, BundleManifest manifest, ClipTokenizer tokenizer, ClipTextEncoder text) {
        this.directory = directory;
        this.manifest = manifest;
        this.tokenizer = tokenizer;
        this.text = text;
    }

    /**
     * Loads tokenizer and text tower of the bundle in {@code dir}.
     *
     * @throws BundleException naming the file and the problem: no {@code clip} section (import the checkpoint's
     *                         text tower with tools/import_backbone.sh), a missing or broken tokenizer or text tower,
     *                         or a text tower whose width is not {@code clip.projectionDim}
     */
    public static ClipModel load(Path dir) throws BundleException {
        Path folder = dir.toAbsolutePath().normalize();
        BundleManifest m = ModelBundle.readManifestOf(folder);
        Path manifestFile = folder.resolve(ModelBundle.MANIFEST);
        BundleManifest.Clip c = m.clip();
        if (c == null) {
            throw new BundleException(manifestFile, "no 'clip' section: this bundle has no text tower. Import a full "
                    + "CLIP checkpoint with tools/import_backbone.sh (it exports the text tower and tokenizer too)");
        }
        Path tokFile = ModelBundle.memberOf(folder, "clip.tokenizer.file", c.tokenizer().file());
        Path textFile = ModelBundle.memberOf(folder, "clip.text.file", c.text().file());
        ClipTokenizer tok;
        try {
            tok = ClipTokenizer.load(tokFile, c.text().contextLength(), c.tokenizer().bosTokenId(),
                    c.tokenizer().eosTokenId(), c.tokenizer().padTokenId());
        } catch (IOException | RuntimeException e) {
            throw new BundleException(tokFile, strip(tokFile, e), e);
        }
        ClipTextEncoder enc;
        try {
            enc = ClipTextEncoder.load(textFile, c.text().contextLength(), tok.encode(""));
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw new BundleException(textFile, strip(textFile, e), e);
        }
        if (enc.embeddingDim() != c.projectionDim()) {
            enc.close();
            tok.close();
            throw new BundleException(textFile, "text tower outputs P = " + enc.embeddingDim() + " but "
                    + ModelBundle.MANIFEST + " says clip.projectionDim = " + c.projectionDim());
        }
        return new ClipModel(folder, m, tok, enc);
    }

    /**
     * Opens the joint-space image encoder: the backbone's {@code clip.imageFeatures} method, L2-normalised
     * ([N,3,S,S] -> [N,P]). The caller closes it.
     *
     * @throws BundleException naming the backbone file when it lacks the method or its width is not P
     */
    public Backbone openImageEncoder() throws BundleException {
        Path file = ModelBundle.memberOf(directory, "backbone.file", manifest.backbone().file());
        Backbone b;
        try {
            b = new NormalizingBackbone(TorchScriptBackbone.load(file, manifest.backbone().inputSize(),
                    manifest.clip().imageFeatures()));
        } catch (IOException | RuntimeException e) {
            throw new BundleException(file, strip(file, e), e);
        }
        if (b.embeddingDim() != manifest.clip().projectionDim()) {
            b.close();
            throw new BundleException(file, "method '" + manifest.clip().imageFeatures() + "' outputs P = "
                    + b.embeddingDim() + " but " + ModelBundle.MANIFEST + " says clip.projectionDim = "
                    + manifest.clip().projectionDim());
        }
        return b;
    }

    /**
     * L2-normalised text embeddings, in batches.
     *
     * @return [texts.size()][P]
     */
    public float[][] textEmbeddings(List<String> texts, int batchSize) {
        Objects.requireNonNull(texts, "texts");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int l = tokenizer.contextLength();
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            int n = Math.min(batchSize, texts.size() - start);
            long[] ids = new long[n * l];
            for (int j = 0; j < n; j++) {
                System.arraycopy(tokenizer.encode(texts.get(start + j)), 0, ids, j * l, l);
            }
            float[][] f = text.encode(ids, n);
            for (int j = 0; j < n; j++) {
                NormalizingBackbone.normalizeInPlace(f[j]);
                out[start + j] = f[j];
            }
        }
        return out;
    }

    /** The CLIP bundle folder. */
    public Path directory() {
        return directory;
    }

    /**
     * The bundle's manifest; its {@code clip} section names the tokenizer, text tower, projection width and logit
     * scale.
     */
    public BundleManifest manifest() {
        return manifest;
    }

    /** The bundle's tokenizer (77-token context); thread-safe. */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The bundle's TorchScript text tower: token ids [N, 77] in, projected text features [N, P] out; closed with this
     * model.
     */
    public ClipTextEncoder textEncoder() {
        return text;
    }

    /** exp(logit_scale): multiplies cosine similarities into logits. */
    public double logitScale() {
        return manifest.clip().logitScale();
    }

    @Override
    public void close() {
        text.close();
        tokenizer.close();
    }

    private static String strip(Path file, Exception e) {
        String m = ClipTokenizer.firstLine(e);
        return m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m;
    }
}
