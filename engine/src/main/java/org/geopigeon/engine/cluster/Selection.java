package org.geopigeon.engine.cluster;

import java.util.Arrays;

/** k-th order statistics (quickselect), shared by the k-d tree build and the core-distance search. */
final class Selection {

    private Selection() {
    }

    /** The element that would be at position {@code rank} (0-based) after sorting; leaves the input untouched. */
    static double kthSmallest(double[] values, int rank) {
        if (values.length <= 64) {
            double[] copy = values.clone();
            Arrays.sort(copy);
            return copy[rank];
        }
        int[] idx = new int[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        selectByKey(idx, 0, idx.length - 1, rank, values);
        return values[idx[rank]];
    }

    /**
     * Reorders {@code idx[lo..hi]} (inclusive) so that {@code idx[k]} holds the index whose key is the
     * k-th smallest in that range, smaller keys before it and larger after (Hoare partitioning).
     */
    static void selectByKey(int[] idx, int lo, int hi, int k, double[] key) {
        while (lo < hi) {
            double pivot = key[idx[(lo + hi) >>> 1]];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (key[idx[i]] < pivot) {
                    i++;
                }
                while (key[idx[j]] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }
}
