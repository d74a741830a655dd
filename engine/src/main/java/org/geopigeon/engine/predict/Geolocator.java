package org.geopigeon.engine.predict;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.preprocess.ClipPreprocessor;
import org.geopigeon.engine.refine.RefinementIndex;

/**
 * The geolocation pipeline: preprocess -> backbone -> geocell head -> retrieval refinement.
 *
 * <p>One instance serves concurrent requests: it holds only immutable state, and the backbone is
 * thread-safe by contract. A panorama is four views 90 degrees apart whose embeddings are averaged
 * (PIGEON); every other request is one image.
 */
public final class Geolocator {

    /** Views of a panorama (PIGEON: four images 90 degrees apart). */
    public static final int PANORAMA_VIEWS = 4;

    private final BundleManifest manifest;
    private final Backbone backbone;
    private final GeocellSet cells;
    private final ClipPreprocessor preprocessor;
    private final EmbeddingLocator embeddingLocator;

    /** Uses everything the bundle holds; the bundle stays owned (and closed) by the caller. */
    public Geolocator(ModelBundle bundle) {
        this(bundle.manifest(), bundle.backbone(), bundle.head(), bundle.geocells(), bundle.refinement().orElse(null));
    }

    /**
     * @param refinementOrNull retrieval index, or null for classification only
     */
    public Geolocator(BundleManifest manifest, Backbone backbone, GeocellHead head, GeocellSet cells,
                      RefinementIndex refinementOrNull) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(head, "head");
        this.cells = Objects.requireNonNull(cells, "cells");
        BundleManifest.Defaults d = Objects.requireNonNull(manifest.defaults(), "manifest defaults");
        if (d.batchSize() < 1 || d.topK() < 1 || d.refineTopK() < 1) {
            throw new IllegalArgumentException("manifest defaults need batchSize, topK and refineTopK >= 1: " + d);
        }
        if (backbone.embeddingDim() != head.dim()) {
            throw new IllegalArgumentException("backbone embeds to D = " + backbone.embeddingDim()
                    + " but the head expects D = " + head.dim());
        }
        this.preprocessor = new ClipPreprocessor(manifest.preprocessConfig(backbone.inputSize()));
        this.embeddingLocator = EmbeddingLocator.of(head, cells, refinementOrNull, d, d.topK());
    }

    /** The loaded bundle's manifest (name, preprocessing, defaults). */
    public BundleManifest manifest() {
        return manifest;
    }

    /** The geocells; class i of every prediction's cells is element i. */
    public GeocellSet geocells() {
        return cells;
    }

    /** True when the bundle has a retrieval index, so refinement can run. */
    public boolean canRefine() {
        return embeddingLocator.refines();
    }

    /** One image with the bundle's defaults. */
    public Prediction locate(BufferedImage image) {
        return locate(List.of(image), LocateOptions.defaults(), StageListener.NONE);
    }

    /**
     * Locates one image, or one panorama of exactly four views.
     *
     * @throws IllegalArgumentException for any other number of views
     * @throws CancellationException    when the listener cancels between stages
     */
    public Prediction locate(List<BufferedImage> views, LocateOptions options, StageListener listener) {
        return locateBatch(List.of(views), options, listener).get(0);
    }

    /**
     * Locates several requests, running their views through the backbone together in batches of the
     * manifest's {@code batchSize} (faster than one call per image). Preprocessing and backbone time
     * is shared out between requests in proportion to their view count.
     */
    public List<Prediction> locateBatch(List<List<BufferedImage>> requests, LocateOptions options, StageListener listener) {
        Objects.requireNonNull(requests, "requests");
        List<BufferedImage> views = new ArrayList<>();
        int[] firstView = new int[requests.size() + 1];
        for (int r = 0; r < requests.size(); r++) {
            List<BufferedImage> v = requests.get(r);
            checkViewCount(v == null ? 0 : v.size());
            for (BufferedImage img : v) {
                views.add(Objects.requireNonNull(img, "image of request " + r));
            }
            firstView[r + 1] = views.size();
        }
        // Preprocess chunk by chunk, just before its backbone pass, so memory stays at one batch of pixels.
        return locateViews(firstView, (from, n, nchw) -> {
            int pixels = preprocessor.imageLength();
            for (int i = 0; i < n; i++) {
                preprocessor.toChw(views.get(from + i), nchw, i * pixels);
            }
            return true;
        }, options, listener);
    }

    /**
     * Views of one request preprocessed for the backbone, made by {@link #prepare} on any thread (a decode
     * pool), so preprocessing can overlap the backbone's work on earlier requests.
     *
     * @param views        one [3,S,S] CHW array per view (1, or 4 for a panorama)
     * @param preprocessMs wall time {@link #prepare} spent on them
     */
    public record PreparedRequest(List<float[]> views, double preprocessMs) {
        public PreparedRequest {
            views = List.copyOf(views);
        }
    }

    /**
     * Preprocesses one request (one image, or the four views of a panorama). Thread-safe: call it from decode
     * threads while {@link #locatePrepared} runs the backbone on earlier requests.
     *
     * @throws IllegalArgumentException for any other number of views
     */
    public PreparedRequest prepare(List<BufferedImage> views) {
        checkViewCount(views == null ? 0 : views.size());
        long t0 = System.nanoTime();
        List<float[]> out = new ArrayList<>(views.size());
        for (BufferedImage v : views) {
            float[] chw = new float[preprocessor.imageLength()];
            preprocessor.toChw(Objects.requireNonNull(v, "image"), chw, 0);
            out.add(chw);
        }
        return new PreparedRequest(out, (System.nanoTime() - t0) / 1e6);
    }

    /**
     * Locates requests already preprocessed by {@link #prepare}, batching their views through the backbone as
     * {@link #locateBatch} does. Each prediction's preprocess time is its own request's.
     */
    public List<Prediction> locatePrepared(List<PreparedRequest> requests, LocateOptions options, StageListener listener) {
        Objects.requireNonNull(requests, "requests");
        List<float[]> views = new ArrayList<>();
        int[] firstView = new int[requests.size() + 1];
        for (int r = 0; r < requests.size(); r++) {
            PreparedRequest p = Objects.requireNonNull(requests.get(r), "request " + r);
            checkViewCount(p.views().size());
            for (float[] v : p.views()) {
                if (v.length != preprocessor.imageLength()) {
                    throw new IllegalArgumentException("a prepared view has " + v.length + " values, the backbone takes "
                            + preprocessor.imageLength());
                }
                views.add(v);
            }
            firstView[r + 1] = views.size();
        }
        List<Prediction> out = locateViews(firstView, (from, n, nchw) -> {
            int pixels = preprocessor.imageLength();
            for (int i = 0; i < n; i++) {
                System.arraycopy(views.get(from + i), 0, nchw, i * pixels, pixels);
            }
            return false;
        }, options, listener);
        List<Prediction> timed = new ArrayList<>(out.size());
        for (int r = 0; r < out.size(); r++) {
            Prediction p = out.get(r);
            StageTimings t = p.timings();
            timed.add(p.withTimings(new StageTimings(t.decodeMs(), requests.get(r).preprocessMs(), t.backboneMs(),
                    t.headMs(), t.refineMs())));
        }
        return timed;
    }

    /** Fills views [from, from+n) into nchw; returns true when the time it took counts as preprocessing. */
    @FunctionalInterface
    private interface ViewFiller {
        boolean fill(int from, int n, float[] nchw);
    }

    private List<Prediction> locateViews(int[] firstView, ViewFiller filler, LocateOptions options,
                                         StageListener listener) {
        LocateOptions opts = options == null ? LocateOptions.defaults() : options;
        StageListener l = listener == null ? StageListener.NONE : listener;
        int requests = firstView.length - 1;
        int total = firstView[requests];
        if (total == 0) {
            return List.of();
        }
        int batch = manifest.defaults().batchSize();
        int pixels = preprocessor.imageLength();
        float[][] embeddings = new float[total][];
        long preprocessNs = 0;
        long backboneNs = 0;
        for (int start = 0; start < total; start += batch) {
            int n = Math.min(batch, total - start);
            Stage.check(l, Stage.PREPROCESS);
            l.onStage(Stage.PREPROCESS, 0.8f * start / total);
            long t0 = System.nanoTime();
            float[] nchw = new float[n * pixels];
            boolean preprocessing = filler.fill(start, n, nchw);
            long t1 = System.nanoTime();
            Stage.check(l, Stage.BACKBONE);
            l.onStage(Stage.BACKBONE, 0.8f * start / total + 0.1f * n / total);
            float[][] out = backbone.embed(nchw, n);
            long t2 = System.nanoTime();
            if (out.length != n) {
                throw new IllegalStateException("backbone returned " + out.length + " embeddings for " + n + " images");
            }
            System.arraycopy(out, 0, embeddings, start, n);
            preprocessNs += preprocessing ? t1 - t0 : 0;
            backboneNs += t2 - t1;
        }

        List<Prediction> result = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            double share = (double) (firstView[r + 1] - firstView[r]) / total;
            float[] e = meanEmbedding(embeddings, firstView[r], firstView[r + 1]);
            result.add(classifyAndRefine(e, opts, l, preprocessNs * share / 1e6, backboneNs * share / 1e6));
        }
        l.onStage(Stage.DONE, 1f);
        return result;
    }

    private static void checkViewCount(int n) {
        if (n != 1 && n != PANORAMA_VIEWS) {
            throw new IllegalArgumentException(n > 1
                    ? "a panorama needs exactly " + PANORAMA_VIEWS + " views, got " + n
                    : "a request needs one image (or " + PANORAMA_VIEWS + " panorama views), got " + n);
        }
    }

    private Prediction classifyAndRefine(float[] embedding, LocateOptions opts, StageListener l,
                                         double preprocessMs, double backboneMs) {
        int k = opts.topK() != null ? opts.topK() : manifest.defaults().topK();
        EmbeddingLocator.Result r = embeddingLocator.locate(embedding, k, opts.refine() == null || opts.refine(), l);
        List<CellProbability> top = new ArrayList<>(r.topCells().length);
        for (int i = 0; i < r.topCells().length; i++) {
            top.add(new CellProbability(i + 1, cells.get(r.topCells()[i]), r.topProbs()[i]));
        }
        StageTimings timings = new StageTimings(0, preprocessMs, backboneMs, r.headMs(), r.refineMs());
        return new Prediction(r.location(), r.refined(), r.confidence(), top, cells.get(r.topCells()[0]).centroid(), null,
                timings, manifest.name(), backbone.precision());
    }

    private static float[] meanEmbedding(float[][] embeddings, int from, int to) {
        if (to - from == 1) {
            return embeddings[from];
        }
        int d = embeddings[from].length;
        double[] sum = new double[d];
        for (int v = from; v < to; v++) {
            for (int i = 0; i < d; i++) {
                sum[i] += embeddings[v][i];
            }
        }
        float[] mean = new float[d];
        for (int i = 0; i < d; i++) {
            mean[i] = (float) (sum[i] / (to - from));
        }
        return mean;
    }
}
