package org.geopigeon.engine.predict;

import java.util.Arrays;
import java.util.Objects;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.refine.RefinementResult;
import org.geopigeon.engine.refine.RetrievalRefiner;

/**
 * The pipeline after the backbone, the one implementation of it: head softmax, top-K cells (ties to the lower
 * index), confidence, and retrieval refinement over the {@code refineTopK} most probable cells (PIGEON section 3.4).
 * {@link Geolocator} runs it on fresh embeddings of images; evaluation ({@code eval.Evaluation}), training
 * experiments and the Spark jobs run it on precomputed galleries. Immutable and thread-safe.
 */
public final class EmbeddingLocator {

    /**
     * The answer for one embedding.
     *
     * @param topCells   class indices of the K most probable cells, most probable first
     * @param topProbs   their softmax probabilities
     * @param location   the refined point, else the top-1 cell's centroid
     * @param refined    true when refinement chose the point (false: off, no index, or its fallback to the centroid)
     * @param confidence 1 - H(p) / ln(C) over all C cells, in [0, 1] ({@link #confidence(double[])})
     * @param headMs     wall time of head, softmax, ranking and confidence, in milliseconds
     * @param refineMs   wall time of refinement in milliseconds (0 when it did not run)
     */
    public record Result(int[] topCells, double[] topProbs, LatLon location, boolean refined, double confidence,
                         double headMs, double refineMs) {
    }

    private final GeocellHead head;
    private final GeocellSet cells;
    private final RetrievalRefiner refiner;
    private final int topK;
    private final int refineTopK;

    /**
     * @param refinerOrNull null: classification only (location = top-1 centroid)
     * @param topK          cells {@link #locate(float[])} returns (capped at the number of cells)
     * @param refineTopK    candidate cells refinement searches (PIGEON 5, PIGEOTTO 40; capped likewise)
     * @throws IllegalArgumentException when the head and the cells disagree on C, or a K is below 1
     */
    public EmbeddingLocator(GeocellHead head, GeocellSet cells, RetrievalRefiner refinerOrNull, int topK, int refineTopK) {
        this.head = Objects.requireNonNull(head, "head");
        this.cells = Objects.requireNonNull(cells, "cells");
        if (head.numCells() != cells.size()) {
            throw new IllegalArgumentException("head has " + head.numCells() + " classes but there are " + cells.size() + " geocells");
        }
        if (topK < 1 || refineTopK < 1) {
            throw new IllegalArgumentException("topK and refineTopK must be >= 1, got " + topK + " and " + refineTopK);
        }
        this.refiner = refinerOrNull;
        this.topK = Math.min(topK, cells.size());
        this.refineTopK = Math.min(refineTopK, cells.size());
    }

    /**
     * The locator a model bundle's settings describe: refinement over {@code refineTopK} cells with the manifest's
     * temperature and fallback distance when an index is given.
     *
     * @param indexOrNull the refinement index, or null for classification only
     * @param topK        cells {@link #locate(float[])} returns
     */
    public static EmbeddingLocator of(GeocellHead head, GeocellSet cells, RefinementIndex indexOrNull,
                                      BundleManifest.Defaults defaults, int topK) {
        RetrievalRefiner refiner = indexOrNull == null ? null
                : new RetrievalRefiner(indexOrNull, cells, defaults.temperature(), defaults.fallbackKm());
        return new EmbeddingLocator(head, cells, refiner, topK, defaults.refineTopK());
    }

    /** True when this locator has a refinement index. */
    public boolean refines() {
        return refiner != null;
    }

    /** The geocells the head's classes stand for. */
    public GeocellSet cells() {
        return cells;
    }

    /** Top-K cells and point for one embedding [D], with the constructor's topK and refinement when there is an index. */
    public Result locate(float[] embedding) {
        return locate(embedding, topK, true, StageListener.NONE);
    }

    /**
     * Top-K cells and point for one embedding.
     *
     * @param embedding what the head takes, [D]
     * @param k         cells to return, at least 1 (capped at the number of cells)
     * @param refine    run refinement when this locator has an index
     * @param listener  told before the HEAD and REFINE stages; checked for cancellation before each
     * @throws java.util.concurrent.CancellationException when the listener cancels
     * @throws IllegalArgumentException when the embedding's width is not the head's D
     */
    public Result locate(float[] embedding, int k, boolean refine, StageListener listener) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int kk = Math.min(k, cells.size());
        Stage.check(listener, Stage.HEAD);
        listener.onStage(Stage.HEAD, 0.85f);
        long t0 = System.nanoTime();
        double[] p = GeocellHead.softmax(head.logits(embedding));
        int[] order = TopK.indices(p, Math.max(kk, refiner == null ? 1 : refineTopK));
        int[] top = Arrays.copyOf(order, kk);
        double[] probs = new double[kk];
        for (int i = 0; i < kk; i++) {
            probs[i] = p[top[i]];
        }
        double confidence = confidence(p);
        long t1 = System.nanoTime();
        if (!refine || refiner == null) {
            return new Result(top, probs, cells.get(top[0]).centroid(), false, confidence, (t1 - t0) / 1e6, 0);
        }
        Stage.check(listener, Stage.REFINE);
        listener.onStage(Stage.REFINE, 0.95f);
        int[] candidates = Arrays.copyOf(order, refineTopK);
        double[] candidateProbs = new double[refineTopK];
        for (int i = 0; i < refineTopK; i++) {
            candidateProbs[i] = p[candidates[i]];
        }
        RefinementResult r = refiner.refine(embedding, candidates, candidateProbs);
        long t2 = System.nanoTime();
        return new Result(top, probs, r.point(), r.refined(), confidence, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    /**
     * Confidence of a prediction: 1 - H(p) / ln(C), the normalised entropy's complement, clipped to [0, 1]; 1 when
     * all mass is on one cell (and for a single cell), 0 for a uniform guess.
     */
    public static double confidence(double[] p) {
        if (p.length <= 1) {
            return 1.0;
        }
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        double c = 1 - h / Math.log(p.length);
        return Math.max(0, Math.min(1, c));
    }
}
