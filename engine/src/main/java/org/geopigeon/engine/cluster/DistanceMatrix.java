package org.geopigeon.engine.cluster;

import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;

/**
 * A precomputed symmetric distance matrix (scikit-learn {@code metric="precomputed"}), stored
 * densely as doubles: n = 2,000 takes 32 MB, so it is meant for per-cell work, not whole data sets.
 */
public final class DistanceMatrix implements NeighborSearch {

    /** A symmetric distance between points i and j. */
    @FunctionalInterface
    public interface DistanceFunction {
        /** Distance between points {@code i} and {@code j} (0-based, i != j); must be symmetric and non-negative. */
        double distance(int i, int j);
    }

    private final int n;
    private final double[] d;

    private DistanceMatrix(int n, double[] d) {
        this.n = n;
        this.d = d;
    }

    /** Copies a square matrix; checks that it is square, finite or +inf, non-negative and symmetric. */
    public static DistanceMatrix of(double[][] matrix) {
        int n = matrix.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("distance matrix row " + i + " has " + matrix[i].length
                        + " values; expected " + n + " (square matrix)");
            }
            for (int j = 0; j < n; j++) {
                double v = matrix[i][j];
                if (Double.isNaN(v) || v < 0) {
                    throw new IllegalArgumentException("distance matrix entry [" + i + "][" + j + "] is " + v
                            + "; distances must be >= 0");
                }
                d[i * n + j] = v;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (d[i * n + j] != d[j * n + i]) {
                    throw new IllegalArgumentException("distance matrix is not symmetric at [" + i + "][" + j + "]");
                }
            }
        }
        return new DistanceMatrix(n, d);
    }

    /** Evaluates {@code f} once per unordered pair (j > i) and mirrors it; the diagonal is 0. */
    public static DistanceMatrix compute(int n, DistanceFunction f) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = f.distance(i, j);
                if (Double.isNaN(v) || v < 0) {
                    throw new IllegalArgumentException("distance(" + i + ", " + j + ") = " + v + "; must be >= 0");
                }
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return new DistanceMatrix(n, d);
    }

    /** Great-circle distances in km ({@link Haversine#km}) between the given points. */
    public static DistanceMatrix haversineKm(List<LatLon> points) {
        LatLon[] p = points.toArray(new LatLon[0]);
        return compute(p.length, (i, j) -> Haversine.km(p[i], p[j]));
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double distance(int i, int j) {
        return d[i * n + j];
    }

    @Override
    public void distances(int from, int[] targets, int count, double[] out) {
        int base = from * n;
        for (int t = 0; t < count; t++) {
            out[t] = d[base + targets[t]];
        }
    }

    @Override
    public double[] kthNeighborDistances(int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        double[] out = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d, i * n, row, 0, n);
            out[i] = Selection.kthSmallest(row, k - 1);
        }
        return out;
    }
}
