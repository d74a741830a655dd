package org.geopigeon.engine.cluster;

/**
 * The distance structure OPTICS runs on: {@code n} points and a symmetric distance between them.
 *
 * <p>Two implementations: {@link DistanceMatrix} (precomputed, any metric, small n — e.g. haversine
 * km between the training points of one cell) and {@link EuclideanPoints2D} (plane coordinates such
 * as raw lon/lat, k-d tree for the neighbour queries, large n).
 */
public interface NeighborSearch {

    /** Number of points. */
    int size();

    /** Distance between points i and j; must be symmetric, >= 0, and 0 for i == j. */
    double distance(int i, int j);

    /**
     * Distance of every point to its {@code k}-th nearest neighbour, counting the point itself as
     * the first (scikit-learn's {@code kneighbors(X, k)[0][:, -1]} with the training set as query).
     */
    default double[] kthNeighborDistances(int k) {
        int n = size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        double[] out = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[j] = distance(i, j);
            }
            out[i] = Selection.kthSmallest(row, k - 1);
        }
        return out;
    }

    /**
     * Writes into {@code out[t]} the distance from {@code from} to {@code targets[t]} for t < count.
     * Implementations override this with a tight loop; it is OPTICS's inner loop.
     */
    default void distances(int from, int[] targets, int count, double[] out) {
        for (int t = 0; t < count; t++) {
            out[t] = distance(from, targets[t]);
        }
    }
}
