package org.geopigeon.engine.cluster;

/**
 * Points in the plane with Euclidean distance — PIGEON splits geocells with scikit-learn OPTICS on
 * raw (longitude, latitude) pairs, so x = longitude, y = latitude there. Nearest-neighbour queries
 * go through a k-d tree, so core distances of 10^5 points take well under a second.
 */
public final class EuclideanPoints2D implements NeighborSearch {

    private final double[] xs;
    private final double[] ys;
    private KdTree2D tree;

    /** Copies the coordinates; all must be finite. */
    public EuclideanPoints2D(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
        this.xs = x.clone();
        this.ys = y.clone();
    }

    /** Points given as rows {x, y}. */
    public static EuclideanPoints2D of(double[][] points) {
        double[] x = new double[points.length];
        double[] y = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != 2) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " coordinates; expected 2");
            }
            x[i] = points[i][0];
            y[i] = points[i][1];
        }
        return new EuclideanPoints2D(x, y);
    }

    /** The x coordinate of point {@code i} (longitude in degrees when splitting geocells). */
    public double x(int i) {
        return xs[i];
    }

    /** The y coordinate of point {@code i} (latitude in degrees when splitting geocells). */
    public double y(int i) {
        return ys[i];
    }

    @Override
    public int size() {
        return xs.length;
    }

    @Override
    public double distance(int i, int j) {
        double dx = xs[i] - xs[j];
        double dy = ys[i] - ys[j];
        return Math.sqrt(dx * dx + dy * dy);
    }

    @Override
    public void distances(int from, int[] targets, int count, double[] out) {
        double x0 = xs[from];
        double y0 = ys[from];
        for (int t = 0; t < count; t++) {
            int j = targets[t];
            double dx = x0 - xs[j];
            double dy = y0 - ys[j];
            out[t] = Math.sqrt(dx * dx + dy * dy);
        }
    }

    @Override
    public double[] kthNeighborDistances(int k) {
        int n = size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        if (tree == null) {
            tree = new KdTree2D(xs, ys);
        }
        double[] out = new double[n];
        KdTree2D.KnnBuffer buffer = new KdTree2D.KnnBuffer(k);
        for (int i = 0; i < n; i++) {
            out[i] = Math.sqrt(tree.kthNearestSquared(xs[i], ys[i], buffer));
        }
        return out;
    }
}
