package org.geopigeon.engine.cluster;

import java.util.Arrays;

/** k-th order statistic helper. */
final class Selection {

    private Selection() {
    }

    /** The element that would be at position {@code rank} (0-based) after sorting; leaves the input untouched. */
    static double kthSmallest(double[] values, int rank) {
        double[] copy = values.clone();
        if (copy.length <= 64) {
            Arrays.sort(copy);
            return copy[rank];
        }
        return quickSelect(copy, rank);
    }

    private static double quickSelect(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
