package org.geopigeon.engine.refine;

import java.util.Objects;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;

/**
 * PIGEON's hierarchical retrieval refinement (Haas et al., CVPR 2024, Sec. 3.6).
 *
 * <p>For each of the K candidate cells k (head probability P_k):
 * <ol>
 *   <li>the nearest cluster prototype by L2 gives the cell score s_k = -min_c ||e - proto_c||_2;</li>
 *   <li>inside that nearest cluster, the member with the <em>smallest</em> L2 distance to e gives the
 *       candidate point g_k. This follows the paper. PIGEON's reference code ({@code proto_refiner.py})
 *       takes the argmax of the distances there, i.e. the least similar member: a bug we do not copy;</li>
 *   <li>q = softmax(s / T) over the K cells; score_k = P_k * q_k; the argmax wins.</li>
 * </ol>
 * If the winner lies more than {@code fallbackKm} from the centroid of the top-1 cell, the top-1
 * centroid is returned instead (refined = false): the retrieval disagrees too much with the classifier.
 *
 * <p>Choices where the paper is silent:
 * <ul>
 *   <li>Single-member clusters: the member itself. PIGEON's code uses the cluster's mean coordinate
 *       there, which for one member is the same point, so there is nothing to reconcile.</li>
 *   <li>Cells without clusters in the index (e.g. cells with no gallery images): s_k = -inf, so q_k = 0
 *       and they can never win unless all candidates are empty, in which case the result is the top-1
 *       centroid with outcome {@link RefinementResult.Outcome#NO_CLUSTERS}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe (the index is only read with absolute gets).
 */
public final class RetrievalRefiner {

    private final RefinementIndex index;
    private final GeocellSet cells;
    private final double temperature;
    private final double fallbackKm;

    /**
     * @param index       clusters and members per cell; must have one entry per geocell
     * @param cells       geocells (for centroids), same order as the head classes
     * @param temperature T of softmax(s / T), > 0 (PIGEON 1.6, PIGEOTTO 0.6)
     * @param fallbackKm  maximum distance from the top-1 centroid, > 0 (PIGEON 1000 km)
     */
    public RetrievalRefiner(RefinementIndex index, GeocellSet cells, double temperature, double fallbackKm) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(cells, "cells");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("refinement temperature must be a finite number > 0, got " + temperature);
        }
        if (!(fallbackKm > 0)) {
            throw new IllegalArgumentException("refinement fallback distance must be > 0 km, got " + fallbackKm);
        }
        if (index.cells() != cells.size()) {
            throw new IllegalArgumentException("refinement index has " + index.cells() + " cells but the geocell set has "
                    + cells.size());
        }
        this.index = index;
        this.cells = cells;
        this.temperature = temperature;
        this.fallbackKm = fallbackKm;
    }

    /** Softmax temperature T over cluster scores (PIGEON 1.6, PIGEOTTO 0.6; Haas et al., CVPR 2024, Sec. 3.6). */
    public double temperature() {
        return temperature;
    }

    /**
     * Largest distance in km from the top cell's centroid a refined point may have; beyond it the centroid is kept
     * (PIGEON 1000 km).
     */
    public double fallbackKm() {
        return fallbackKm;
    }

    /**
     * Refines one query.
     *
     * @param embedding      query embedding, length = index dimension
     * @param candidateCells class indices of the K candidate cells
     * @param probabilities  head probability P_k of each candidate (same order); the highest is the top-1 cell
     */
    public RefinementResult refine(float[] embedding, int[] candidateCells, double[] probabilities) {
        Objects.requireNonNull(embedding, "embedding");
        if (embedding.length != index.dimension()) {
            throw new IllegalArgumentException("query embedding has dimension " + embedding.length
                    + ", the refinement index has " + index.dimension());
        }
        if (candidateCells.length == 0 || candidateCells.length != probabilities.length) {
            throw new IllegalArgumentException("need one probability per candidate cell and at least one candidate, got "
                    + candidateCells.length + " cells and " + probabilities.length + " probabilities");
        }
        int k = candidateCells.length;
        int top = 0;
        for (int i = 0; i < k; i++) {
            int c = candidateCells[i];
            if (c < 0 || c >= cells.size()) {
                throw new IllegalArgumentException("candidate cell " + c + " is outside 0.." + (cells.size() - 1));
            }
            if (probabilities[i] > probabilities[top]) {
                top = i;
            }
        }
        LatLon topCentroid = cells.get(candidateCells[top]).centroid();

        // Cell scores need only the prototypes. The member search is done for the winning cell alone: the
        // other candidates' members never reach the answer, so searching them (40 clusters for PIGEOTTO's
        // top 40 instead of 1) would only cost time. Same result as searching every candidate.
        double[] s = new double[k];
        int[] nearest = new int[k];
        for (int i = 0; i < k; i++) {
            RefinementIndex.Nearest c = index.nearestCluster(candidateCells[i], embedding);
            s[i] = c == null ? Double.NEGATIVE_INFINITY : -Math.sqrt(c.distanceSq());
            nearest[i] = c == null ? -1 : c.row();
        }

        double[] q = softmax(s, temperature);
        int win = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (nearest[i] < 0) {
                continue;
            }
            double score = probabilities[i] * q[i];
            if (score > bestScore) {
                bestScore = score;
                win = i;
            }
        }
        if (win < 0) {
            return new RefinementResult(topCentroid, false, candidateCells[top], -1, 0, RefinementResult.Outcome.NO_CLUSTERS);
        }
        int member = index.nearestMember(nearest[win], embedding).row();
        LatLon point = index.memberLocation(member);
        double km = Haversine.km(point, topCentroid);
        if (km > fallbackKm) {
            return new RefinementResult(topCentroid, false, candidateCells[top], member, km,
                    RefinementResult.Outcome.FELL_BACK_TOO_FAR);
        }
        return new RefinementResult(point, true, candidateCells[win], member, km, RefinementResult.Outcome.REFINED);
    }

    /** softmax(s / T); entries of -inf get probability 0; all -inf gives all zeros. */
    static double[] softmax(double[] s, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
        }
        double[] q = new double[s.length];
        if (max == Double.NEGATIVE_INFINITY) {
            return q;
        }
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            q[i] = Math.exp((s[i] - max) / t); // shift by the max: no overflow for large |s|/T
            sum += q[i];
        }
        for (int i = 0; i < s.length; i++) {
            q[i] /= sum;
        }
        return q;
    }
}
