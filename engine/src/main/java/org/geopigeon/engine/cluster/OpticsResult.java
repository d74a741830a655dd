package org.geopigeon.engine.cluster;

/**
 * The OPTICS reachability graph, with scikit-learn's attribute semantics.
 *
 * @param ordering      point indices in processing order ({@code ordering_})
 * @param reachability  reachability distance per point index, +inf for the first point of each
 *                      connected component ({@code reachability_})
 * @param coreDistances distance to the min_samples-th neighbour (self included) per point index,
 *                      +inf where above max_eps ({@code core_distances_})
 * @param predecessor   point each point was reached from, -1 for component seeds ({@code predecessor_})
 * @param minSamples    the min_samples the graph was computed with
 */
public record OpticsResult(int[] ordering, double[] reachability, double[] coreDistances,
                           int[] predecessor, int minSamples) {

    /** Number of points clustered (the length of every array of this result). */
    public int size() {
        return ordering.length;
    }

    /** Reachability in processing order: {@code reachability[ordering[i]]}. */
    public double[] reachabilityPlot() {
        double[] plot = new double[ordering.length];
        for (int i = 0; i < plot.length; i++) {
            plot[i] = reachability[ordering[i]];
        }
        return plot;
    }
}
