package org.geopigeon.engine.predict;

import java.util.PriorityQueue;

/** Indices of the k largest values, largest first; ties go to the lower index (deterministic). */
final class TopK {

    private TopK() {
    }

    static int[] indices(double[] values, int k) {
        if (k < 1 || k > values.length) {
            throw new IllegalArgumentException("k must be in 1.." + values.length + ", got " + k);
        }
        // Min-heap of the best k so far: O(C log k), C can be thousands of cells.
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> compare(values, a, b));
        for (int i = 0; i < values.length; i++) {
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        int[] out = new int[k];
        for (int i = k - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }

    /** Orders "worse" first: smaller value, or equal value and higher index. */
    private static int compare(double[] v, int a, int b) {
        int c = Double.compare(v[a], v[b]);
        return c != 0 ? c : Integer.compare(b, a);
    }
}
