package org.geopigeon.engine.cluster;

import java.util.Arrays;

/**
 * OPTICS ordering (Ankerst et al. 1999) reproducing scikit-learn 1.2 {@code compute_optics_graph}.
 *
 * <ul>
 *   <li>min_samples counts the point itself: core distance = distance to the min_samples-th
 *       nearest neighbour, self included (the point is its own first neighbour at 0).</li>
 *   <li>Core distances above max_eps become +inf; reachability(o) = max(core(p), d(p, o)),
 *       only for o within max_eps (inclusive) of p and only while it lowers the stored value.</li>
 *   <li>Next point: the unprocessed point of smallest reachability, ties to the lowest index
 *       ({@code np.argmin}); the first point of each component therefore has reachability +inf.</li>
 *   <li>Core and reachability distances are rounded to 15 decimals as scikit-learn does, so
 *       near-ties break the same way.</li>
 * </ul>
 *
 * <p>With max_eps = +inf every processed point updates every unprocessed one: O(n^2) time with a
 * tight inner loop and O(n) memory (besides the {@link NeighborSearch}), which is fine for the per
 * cell runs of the geocell splitter (thousands of points) and acceptable up to ~10^5 points.
 * Not thread-safe per call; calls are independent and may run concurrently.
 */
public final class Optics {

    private Optics() {
    }

    /** OPTICS with max_eps = +inf (scikit-learn default). */
    public static OpticsResult run(NeighborSearch data, int minSamples) {
        return run(data, minSamples, Double.POSITIVE_INFINITY);
    }

    /**
     * Computes the reachability graph.
     *
     * @param minSamples >= 2 and <= n; see {@link #resolveMinSamples(double, int)} for fractions
     * @param maxEps     > 0, may be +inf
     */
    public static OpticsResult run(NeighborSearch data, int minSamples, double maxEps) {
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("OPTICS needs at least one point");
        }
        if (minSamples < 2) {
            throw new IllegalArgumentException("min_samples must be >= 2, got " + minSamples);
        }
        if (minSamples > n) {
            throw new IllegalArgumentException("min_samples must be no greater than the number of samples ("
                    + n + "), got " + minSamples);
        }
        if (!(maxEps > 0)) {
            throw new IllegalArgumentException("max_eps must be > 0, got " + maxEps);
        }
        double[] core = data.kthNeighborDistances(minSamples);
        for (int i = 0; i < n; i++) {
            core[i] = core[i] > maxEps ? Double.POSITIVE_INFINITY : round15(core[i]);
        }
        double[] reach = new double[n];
        Arrays.fill(reach, Double.POSITIVE_INFINITY);
        int[] pred = new int[n];
        Arrays.fill(pred, -1);
        int[] ordering = new int[n];

        // Unprocessed point indices kept in increasing order so a strict '<' scan picks the lowest index on ties.
        int[] unproc = new int[n];
        for (int i = 0; i < n; i++) {
            unproc[i] = i;
        }
        int remaining = n;
        double[] dist = new double[n];
        int pos = 0; // position in unproc of the next point: all reachabilities are +inf, so index 0
        for (int step = 0; step < n; step++) {
            int p = unproc[pos];
            System.arraycopy(unproc, pos + 1, unproc, pos, remaining - pos - 1);
            remaining--;
            ordering[step] = p;
            if (remaining == 0) {
                break;
            }
            double cp = core[p];
            if (cp != Double.POSITIVE_INFINITY) {
                data.distances(p, unproc, remaining, dist);
            }
            // One pass updates the reachabilities and finds the next point (smallest, lowest index on ties).
            pos = 0;
            double best = Double.NaN;
            for (int t = 0; t < remaining; t++) {
                int o = unproc[t];
                double r = reach[o];
                if (cp != Double.POSITIVE_INFINITY && dist[t] <= maxEps) {
                    double rd = round15(Math.max(dist[t], cp));
                    if (rd < r) {
                        r = rd;
                        reach[o] = rd;
                        pred[o] = p;
                    }
                }
                if (t == 0 || r < best) {
                    best = r;
                    pos = t;
                }
            }
        }
        return new OpticsResult(ordering, reach, core, pred, minSamples);
    }

    /**
     * scikit-learn's reading of min_samples (and min_cluster_size): values above 1 are counts
     * (must be whole numbers); values in (0, 1] are fractions of n, floored and at least 2.
     */
    public static int resolveMinSamples(double value, int n) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("min_samples must be > 0, got " + value);
        }
        if (value <= 1) {
            return Math.max(2, (int) (value * n));
        }
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("min_samples above 1 must be a whole number, got " + value);
        }
        return (int) value;
    }

    /** Convenience: OPTICS (max_eps = inf) + xi extraction with min_cluster_size = min_samples; labels per point, -1 = noise. */
    public static int[] xiLabels(NeighborSearch data, int minSamples, double xi) {
        return xiLabels(data, minSamples, xi, minSamples);
    }

    /** Convenience: OPTICS (max_eps = inf) + xi extraction with predecessor correction; labels per point, -1 = noise. */
    public static int[] xiLabels(NeighborSearch data, int minSamples, double xi, int minClusterSize) {
        return XiClusters.labels(run(data, minSamples), xi, minClusterSize, true);
    }

    /** Convenience for plane points given as rows {x, y} (e.g. {lon, lat}). */
    public static int[] xiLabels(double[][] points, int minSamples, double xi, int minClusterSize) {
        return xiLabels(EuclideanPoints2D.of(points), minSamples, xi, minClusterSize);
    }

    /** numpy {@code around(x, 15)}: scale, round half to even, unscale — same IEEE steps, same bits. */
    static double round15(double x) {
        return Math.rint(x * 1e15) / 1e15;
    }
}
