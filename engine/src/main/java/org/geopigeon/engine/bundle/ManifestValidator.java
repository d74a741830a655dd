package org.geopigeon.engine.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.bundle.BundleManifest.Backbone;
import org.geopigeon.engine.bundle.BundleManifest.Defaults;
import org.geopigeon.engine.model.Precision;

/**
 * Checks a parsed manifest's values and fills optional ones, so the rest of the engine can
 * trust {@link ModelBundle#manifest()} without null checks.
 */
final class ManifestValidator {

    /** Used where the manifest leaves a default unset (0 or absent): PIGEON's published settings. */
    static final Defaults STANDARD_DEFAULTS = new Defaults(5, 5, 1.6, 1000.0, 8);

    private ManifestValidator() {
    }

    static BundleManifest validate(Path file, BundleManifest m) throws BundleException {
        if (!BundleManifest.FORMAT.equals(m.format())) {
            throw new BundleException(file, "format is " + (m.format() == null ? "missing" : "'" + m.format() + "'")
                    + ", expected '" + BundleManifest.FORMAT + "'");
        }
        if (m.name() == null || m.name().isBlank()) {
            throw new BundleException(file, "field 'name' is missing");
        }
        Backbone b = m.backbone();
        if (b == null) {
            throw new BundleException(file, "section 'backbone' is missing");
        }
        if (b.inputSize() < 1) {
            throw new BundleException(file, "backbone.inputSize must be a positive pixel count, got " + b.inputSize());
        }
        if (b.embeddingDim() < 1) {
            throw new BundleException(file, "backbone.embeddingDim must be positive, got " + b.embeddingDim());
        }
        int crop = b.cropSize() == 0 ? b.inputSize() : b.cropSize();
        int resize = b.resizeShortestEdge() == 0 ? crop : b.resizeShortestEdge();
        if (crop != b.inputSize()) {
            throw new BundleException(file, "backbone.cropSize " + crop + " differs from backbone.inputSize " + b.inputSize());
        }
        if (resize < crop) {
            throw new BundleException(file, "backbone.resizeShortestEdge " + resize + " is smaller than cropSize " + crop);
        }
        String resample = b.resample() == null ? "bicubic" : b.resample();
        if (!resample.equals("bicubic")) {
            throw new BundleException(file, "backbone.resample '" + resample + "' is not supported (only 'bicubic')");
        }
        checkTriple(file, "backbone.mean", b.mean(), false);
        checkTriple(file, "backbone.std", b.std(), true);
        String pooling = b.pooling() == null ? "mean-all-tokens" : b.pooling();
        checkVariants(file, b.variants());
        Backbone backbone = new Backbone(b.file(), b.inputSize(), resize, crop, resample, List.copyOf(b.mean()),
                List.copyOf(b.std()), b.embeddingDim(), pooling, b.pretrained(), b.variants());
        BundleManifest.Clip clip = m.clip() == null ? null : clip(file, m.clip());
        String headInput = m.headInput() == null || m.headInput().isBlank() ? BundleManifest.HEAD_INPUT_BACKBONE
                : m.headInput().strip();
        if (!headInput.equals(BundleManifest.HEAD_INPUT_BACKBONE) && !headInput.equals(BundleManifest.HEAD_INPUT_CLIP_IMAGE)) {
            throw new BundleException(file, "headInput '" + headInput + "' is not supported ('"
                    + BundleManifest.HEAD_INPUT_BACKBONE + "' or '" + BundleManifest.HEAD_INPUT_CLIP_IMAGE + "')");
        }
        if (headInput.equals(BundleManifest.HEAD_INPUT_CLIP_IMAGE) && clip == null) {
            throw new BundleException(file, "headInput is '" + headInput + "' but the manifest has no 'clip' section");
        }
        return new BundleManifest(m.format(), m.name(), m.description() == null ? "" : m.description(), m.trained(),
                m.licence() == null ? "" : m.licence(), m.provenance() == null ? "" : m.provenance(), backbone,
                m.geocells(), m.head(), blankToNull(m.refinement()), defaults(file, m.defaults()), clip, headInput,
                m.headSource());
    }

    /** Checks the 'clip' section (docs/bundle-format.md); file names are checked where they are resolved. */
    private static BundleManifest.Clip clip(Path file, BundleManifest.Clip c) throws BundleException {
        if (c.imageFeatures() == null || c.imageFeatures().isBlank()) {
            throw new BundleException(file, "clip.imageFeatures (the backbone's projected-image method) is missing");
        }
        if (c.projectionDim() < 1) {
            throw new BundleException(file, "clip.projectionDim must be positive, got " + c.projectionDim());
        }
        if (!(c.logitScale() > 0) || !Double.isFinite(c.logitScale())) {
            throw new BundleException(file, "clip.logitScale must be a positive number, got " + c.logitScale());
        }
        BundleManifest.Text t = c.text();
        if (t == null || t.file() == null || t.file().isBlank()) {
            throw new BundleException(file, "clip.text.file is missing");
        }
        if (t.contextLength() < 2) {
            throw new BundleException(file, "clip.text.contextLength must be at least 2, got " + t.contextLength());
        }
        int textDim = t.embeddingDim() == 0 ? c.projectionDim() : t.embeddingDim();
        if (textDim != c.projectionDim()) {
            throw new BundleException(file, "clip.text.embeddingDim " + textDim + " differs from clip.projectionDim "
                    + c.projectionDim());
        }
        BundleManifest.Tokenizer k = c.tokenizer();
        if (k == null || k.file() == null || k.file().isBlank()) {
            throw new BundleException(file, "clip.tokenizer.file is missing");
        }
        if (k.bosTokenId() < 0 || k.eosTokenId() < 0 || k.padTokenId() < 0) {
            throw new BundleException(file, "clip.tokenizer token ids must be >= 0, got bos " + k.bosTokenId() + ", eos "
                    + k.eosTokenId() + ", pad " + k.padTokenId());
        }
        return new BundleManifest.Clip(c.imageFeatures().strip(), c.projectionDim(), c.logitScale(),
                new BundleManifest.Text(t.file(), t.contextLength(), textDim), k);
    }

    /** backbone.variants: keys are reduced precisions (not fp32: that is backbone.file), values file names. */
    private static void checkVariants(Path file, Map<String, String> variants) throws BundleException {
        for (Map.Entry<String, String> e : variants.entrySet()) {
            Precision p;
            try {
                p = Precision.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new BundleException(file, "backbone.variants: " + ex.getMessage());
            }
            if (p == Precision.FP32) {
                throw new BundleException(file, "backbone.variants lists fp32: the fp32 backbone is backbone.file");
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new BundleException(file, "backbone.variants." + e.getKey() + " names no file");
            }
        }
    }

    private static void checkTriple(Path file, String field, List<Double> v, boolean positive) throws BundleException {
        if (v == null || v.size() != 3) {
            throw new BundleException(file, field + " must hold 3 values (R, G, B), got " + v);
        }
        for (Double x : v) {
            boolean ok = x != null && Double.isFinite(x) && (positive ? x > 0 : x >= 0 && x <= 1);
            if (!ok) {
                throw new BundleException(file, field + " must hold 3 " + (positive ? "positive numbers" : "numbers in [0, 1]")
                        + ", got " + v);
            }
        }
    }

    private static Defaults defaults(Path file, Defaults d) throws BundleException {
        if (d == null) {
            return STANDARD_DEFAULTS;
        }
        Defaults s = STANDARD_DEFAULTS;
        Defaults out = new Defaults(d.topK() == 0 ? s.topK() : d.topK(), d.refineTopK() == 0 ? s.refineTopK() : d.refineTopK(),
                d.temperature() == 0 ? s.temperature() : d.temperature(), d.fallbackKm() == 0 ? s.fallbackKm() : d.fallbackKm(),
                d.batchSize() == 0 ? s.batchSize() : d.batchSize());
        if (out.topK() < 1 || out.topK() > 50) {
            throw new BundleException(file, "defaults.topK must be 1..50, got " + out.topK());
        }
        if (out.refineTopK() < 1) {
            throw new BundleException(file, "defaults.refineTopK must be positive, got " + out.refineTopK());
        }
        if (!(out.temperature() > 0) || !Double.isFinite(out.temperature())) {
            throw new BundleException(file, "defaults.temperature must be a positive number, got " + out.temperature());
        }
        if (!(out.fallbackKm() > 0)) {
            throw new BundleException(file, "defaults.fallbackKm must be positive, got " + out.fallbackKm());
        }
        if (out.batchSize() < 1) {
            throw new BundleException(file, "defaults.batchSize must be positive, got " + out.batchSize());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
