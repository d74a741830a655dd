package org.geopigeon.engine.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Xi-steep cluster extraction from an OPTICS reachability plot, reproducing scikit-learn 1.2
 * {@code cluster_optics_xi} (steep areas as in Ankerst et al. 1999 Fig. 19, predecessor correction
 * of Schubert &amp; Gertz 2018, and scikit-learn's leaf labelling).
 *
 * <p>min_cluster_size: the smallest number of consecutive points (in OPTICS order) a cluster may
 * span. scikit-learn uses min_samples when it is not given; a fraction in (0, 1] means
 * {@code max(2, floor(fraction * n))} — resolve it with {@link Optics#resolveMinSamples(double, int)}.
 *
 * <p>Labels: clusters come out smallest-first (nested ones before the clusters that contain them);
 * each cluster gets the next label only when none of its points has one yet, so the labels are the
 * leaves of the cluster hierarchy and points outside every leaf are noise (-1).
 */
public final class XiClusters {

    /** One cluster as an inclusive range of positions in the OPTICS ordering. */
    public record Cluster(int start, int end) {
        /** Number of points in the cluster: positions {@code start..end} of the OPTICS ordering, both inclusive. */
        public int size() {
            return end - start + 1;
        }
    }

    private XiClusters() {
    }

    /** Labels with min_cluster_size = the result's min_samples and predecessor correction on (scikit-learn defaults). */
    public static int[] labels(OpticsResult r, double xi) {
        return labels(r, xi, r.minSamples(), true);
    }

    /** Cluster label per point index (not per ordering position), -1 for noise. */
    public static int[] labels(OpticsResult r, double xi, int minClusterSize, boolean predecessorCorrection) {
        return labels(r.ordering(), clusters(r, r.minSamples(), xi, minClusterSize, predecessorCorrection));
    }

    /** Same as above with an explicit min_samples (the steep-area gap limit), as in scikit-learn's signature. */
    public static int[] labels(OpticsResult r, int minSamples, double xi, int minClusterSize,
                               boolean predecessorCorrection) {
        return labels(r.ordering(), clusters(r, minSamples, xi, minClusterSize, predecessorCorrection));
    }

    /** scikit-learn {@code _extract_xi_labels}: first come, first labelled; result indexed by point. */
    public static int[] labels(int[] ordering, List<Cluster> clusters) {
        int n = ordering.length;
        int[] plotLabels = new int[n];
        Arrays.fill(plotLabels, -1);
        int label = 0;
        for (Cluster c : clusters) {
            boolean free = true;
            for (int i = c.start(); i <= c.end(); i++) {
                if (plotLabels[i] != -1) {
                    free = false;
                    break;
                }
            }
            if (free) {
                Arrays.fill(plotLabels, c.start(), c.end() + 1, label);
                label++;
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[ordering[i]] = plotLabels[i];
        }
        return labels;
    }

    /**
     * The cluster hierarchy as ranges of the ordering, nested clusters before their parents
     * (scikit-learn {@code cluster_hierarchy_}).
     */
    public static List<Cluster> clusters(OpticsResult r, int minSamples, double xi, int minClusterSize,
                                         boolean predecessorCorrection) {
        int n = r.size();
        if (!(xi >= 0 && xi <= 1)) {
            throw new IllegalArgumentException("xi must be in [0, 1], got " + xi);
        }
        if (minSamples < 2 || minSamples > n) {
            throw new IllegalArgumentException("min_samples must be in [2, " + n + "], got " + minSamples);
        }
        if (minClusterSize < 2 || minClusterSize > n) {
            throw new IllegalArgumentException("min_cluster_size must be in [2, " + n + "], got " + minClusterSize);
        }
        int[] ordering = r.ordering();
        // The plot gets a trailing +inf so the last point can end a steep-up area.
        double[] plot = Arrays.copyOf(r.reachabilityPlot(), n + 1);
        plot[n] = Double.POSITIVE_INFINITY;
        int[] predPlot = new int[n];
        for (int i = 0; i < n; i++) {
            predPlot[i] = r.predecessor()[ordering[i]];
        }
        return xiCluster(plot, predPlot, ordering, xi, minSamples, minClusterSize, predecessorCorrection);
    }

    private static final class SteepDownArea {
        final int start;
        final int end;
        double mib;

        SteepDownArea(int start, int end) {
            this.start = start;
            this.end = end;
        }
    }

    private static List<Cluster> xiCluster(double[] plot, int[] predPlot, int[] ordering, double xi,
                                           int minSamples, int minClusterSize, boolean predecessorCorrection) {
        int n = ordering.length;
        double xiComplement = 1 - xi;
        boolean[] steepUp = new boolean[n];
        boolean[] steepDown = new boolean[n];
        boolean[] downward = new boolean[n];
        boolean[] upward = new boolean[n];
        for (int i = 0; i < n; i++) {
            // inf/inf and 0/0 are NaN: every comparison false, exactly as with numpy.
            double ratio = plot[i] / plot[i + 1];
            steepUp[i] = ratio <= xiComplement;
            steepDown[i] = ratio >= 1 / xiComplement;
            downward[i] = ratio > 1;
            upward[i] = ratio < 1;
        }
        List<SteepDownArea> sdas = new ArrayList<>();
        List<Cluster> clusters = new ArrayList<>();
        int index = 0;
        double mib = 0.0;
        for (int steep = 0; steep < n; steep++) {
            if (!(steepUp[steep] || steepDown[steep]) || steep < index) {
                continue;
            }
            for (int i = index; i <= steep; i++) {
                mib = Math.max(mib, plot[i]);
            }
            if (steepDown[steep]) {
                sdas = updateFilterSdas(sdas, mib, xiComplement, plot);
                int dEnd = extendRegion(steepDown, upward, steep, minSamples);
                sdas.add(new SteepDownArea(steep, dEnd));
                index = dEnd + 1;
                mib = plot[index];
            } else {
                sdas = updateFilterSdas(sdas, mib, xiComplement, plot);
                int uStart = steep;
                int uEnd = extendRegion(steepUp, downward, uStart, minSamples);
                index = uEnd + 1;
                mib = plot[index];
                List<Cluster> found = new ArrayList<>();
                for (SteepDownArea d : sdas) {
                    int cStart = d.start;
                    int cEnd = uEnd;
                    if (plot[cEnd + 1] * xiComplement < d.mib) {
                        continue;
                    }
                    double dMax = plot[d.start];
                    if (dMax * xiComplement >= plot[cEnd + 1]) {
                        while (plot[cStart + 1] > plot[cEnd + 1] && cStart < d.end) {
                            cStart++;
                        }
                    } else if (plot[cEnd + 1] * xiComplement >= dMax) {
                        while (plot[cEnd - 1] > dMax && cEnd > uStart) {
                            cEnd--;
                        }
                    }
                    if (predecessorCorrection) {
                        int[] corrected = correctPredecessor(plot, predPlot, ordering, cStart, cEnd);
                        if (corrected == null) {
                            continue;
                        }
                        cStart = corrected[0];
                        cEnd = corrected[1];
                    }
                    if (cEnd - cStart + 1 < minClusterSize || cStart > d.end || cEnd < uStart) {
                        continue;
                    }
                    found.add(new Cluster(cStart, cEnd));
                }
                Collections.reverse(found);
                clusters.addAll(found);
            }
        }
        return clusters;
    }

    /** Grows a steep area while at most minSamples consecutive non-steep points follow and none goes the other way. */
    private static int extendRegion(boolean[] steepPoint, boolean[] xwardPoint, int start, int minSamples) {
        int n = steepPoint.length;
        int nonXward = 0;
        int end = start;
        for (int index = start; index < n; index++) {
            if (steepPoint[index]) {
                nonXward = 0;
                end = index;
            } else if (!xwardPoint[index]) {
                nonXward++;
                if (nonXward > minSamples) {
                    break;
                }
            } else {
                return end;
            }
        }
        return end;
    }

    private static List<SteepDownArea> updateFilterSdas(List<SteepDownArea> sdas, double mib, double xiComplement,
                                                        double[] plot) {
        if (Double.isInfinite(mib)) {
            return new ArrayList<>();
        }
        List<SteepDownArea> kept = new ArrayList<>();
        for (SteepDownArea sda : sdas) {
            if (mib <= plot[sda.start] * xiComplement) {
                sda.mib = Math.max(sda.mib, mib);
                kept.add(sda);
            }
        }
        return kept;
    }

    /**
     * Schubert &amp; Gertz Algorithm 2 as scikit-learn 1.2 codes it. Note the quirk kept for parity:
     * the predecessor (a point index) is looked up as a position in the ordering, and -1 wraps to
     * the last position, as numpy indexing does.
     */
    private static int[] correctPredecessor(double[] plot, int[] predPlot, int[] ordering, int s, int e) {
        int n = ordering.length;
        while (s < e) {
            if (plot[s] > plot[e]) {
                return new int[] {s, e};
            }
            int p = predPlot[e];
            int pe = ordering[p < 0 ? p + n : p];
            for (int i = s; i < e; i++) {
                if (pe == ordering[i]) {
                    return new int[] {s, e};
                }
            }
            e--;
        }
        return null;
    }
}
