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
        return new BundleManifest(m.format(), m.name(), m.description() == null ? "" : m.description(), m.trained(),
                m.licence() == null ? "" : m.licence(), m.provenance() == null ? "" : m.provenance(), backbone,
                m.geocells(), m.head(), blankToNull(m.refinement()), defaults(file, m.defaults()));
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
