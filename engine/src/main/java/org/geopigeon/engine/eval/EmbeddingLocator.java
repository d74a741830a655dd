package org.geopigeon.engine.eval;

import java.util.Arrays;
import java.util.Objects;
import java.util.PriorityQueue;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementResult;
import org.geopigeon.engine.refine.RetrievalRefiner;

/**
 * Head + refinement for a precomputed embedding: the part of the pipeline after the backbone, so
 * galleries of embeddings can be evaluated without images. Mirrors {@code Geolocator}: softmax,
 * top-K cells (ties to the lower index), refinement over the refineTopK most probable cells.
 * Immutable and thread-safe.
 */
public final class EmbeddingLocator {

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

    public Result locate(float[] embedding) {
        double[] p = GeocellHead.softmax(head.logits(embedding));
        int[] order = topIndices(p, Math.max(topK, refineTopK));
        int[] top = Arrays.copyOf(order, topK);
        double[] probs = new double[topK];
        for (int i = 0; i < topK; i++) {
            probs[i] = p[top[i]];
        }
        LatLon location = cells.get(order[0]).centroid();
        boolean refined = false;
        if (refiner != null) {
            int[] cand = Arrays.copyOf(order, refineTopK);
            double[] cp = new double[refineTopK];
            for (int i = 0; i < refineTopK; i++) {
                cp[i] = p[cand[i]];
            }
            RefinementResult r = refiner.refine(embedding, cand, cp);
            location = r.point();
            refined = r.refined();
        }
        return new Result(top, probs, location, refined);
    }

    /** Indices of the k largest values, largest first, ties to the lower index. */
    static int[] topIndices(double[] v, int k) {
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> {
            int c = Double.compare(v[a], v[b]);
            return c != 0 ? c : Integer.compare(b, a);
        });
        for (int i = 0; i < v.length; i++) {
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }
}
