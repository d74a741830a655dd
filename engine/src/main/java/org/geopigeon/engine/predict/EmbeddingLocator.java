package org.geopigeon.engine.predict;

import java.util.Arrays;
import java.util.Objects;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementResult;
import org.geopigeon.engine.refine.RetrievalRefiner;

/**
 * The pipeline after the backbone: head softmax, top-K cells (ties to the lower index) and
 * refinement over the refineTopK most probable cells. {@link Geolocator} runs it on fresh
 * embeddings; evaluation and training run it on precomputed galleries. Immutable and thread-safe.
 */
public final class EmbeddingLocator {

    /**
     * @param probabilities softmax over all cells
     * @param order         cell indices, most probable first (at least max(topK, refineTopK) of them)
     */
    public record Ranking(double[] probabilities, int[] order) {
    }

    /**
     * @param topCells  class indices, most probable first
     * @param topProbs  their probabilities
     * @param location  refined point, else the top-1 centroid
     * @param refined   true when refinement chose the point
     */
    public record Result(int[] topCells, double[] topProbs, LatLon location, boolean refined) {
    }

    private final GeocellHead head;
    private final GeocellSet cells;
    private final RetrievalRefiner refiner;
    private final int topK;
    private final int refineTopK;

    /** @param refinerOrNull null: classification only (location = top-1 centroid) */
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

    public boolean refines() {
        return refiner != null;
    }

    public GeocellSet cells() {
        return cells;
    }

    /** Softmax and the ranking of the {@code max(k, refineTopK)} most probable cells. */
    public Ranking rank(float[] embedding, int k) {
        double[] p = GeocellHead.softmax(head.logits(embedding));
        return new Ranking(p, TopK.indices(p, Math.min(p.length, Math.max(k, refineTopK))));
    }

    /** Refinement over the ranking's refineTopK best cells; null when this locator has no refiner. */
    public RefinementResult refine(float[] embedding, Ranking ranking) {
        if (refiner == null) {
            return null;
        }
        int[] candidates = Arrays.copyOf(ranking.order(), refineTopK);
        double[] probs = new double[refineTopK];
        for (int i = 0; i < refineTopK; i++) {
            probs[i] = ranking.probabilities()[candidates[i]];
        }
        return refiner.refine(embedding, candidates, probs);
    }

    /** Top-K cells and point for one embedding, with the constructor's topK. */
    public Result locate(float[] embedding) {
        Ranking ranking = rank(embedding, topK);
        int[] top = Arrays.copyOf(ranking.order(), topK);
        double[] probs = new double[topK];
        for (int i = 0; i < topK; i++) {
            probs[i] = ranking.probabilities()[top[i]];
        }
        RefinementResult r = refine(embedding, ranking);
        return r == null
                ? new Result(top, probs, cells.get(top[0]).centroid(), false)
                : new Result(top, probs, r.point(), r.refined());
    }
}
