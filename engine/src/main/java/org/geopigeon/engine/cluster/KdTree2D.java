package org.geopigeon.engine.cluster;

import java.util.Arrays;

/** Static 2-d tree over point indices for k-nearest-neighbour distance queries. */
final class KdTree2D {

    private static final int LEAF_SIZE = 16;

    private final double[] xs;
    private final double[] ys;
    private final int[] idx;

    KdTree2D(double[] xs, double[] ys) {
        this.xs = xs;
        this.ys = ys;
        this.idx = new int[xs.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        build(0, idx.length, 0);
    }

    /** A bounded max-heap of the k smallest squared distances seen so far. */
    static final class KnnBuffer {
        final double[] heap;
        int size;

        KnnBuffer(int k) {
            heap = new double[k];
        }

        double worst() {
            return size < heap.length ? Double.POSITIVE_INFINITY : heap[0];
        }

        void offer(double v) {
            if (size < heap.length) {
                int i = size++;
                heap[i] = v;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (heap[parent] >= heap[i]) {
                        break;
                    }
                    swap(i, parent);
                    i = parent;
                }
            } else if (v < heap[0]) {
                heap[0] = v;
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    int r = l + 1;
                    int m = i;
                    if (l < size && heap[l] > heap[m]) {
                        m = l;
                    }
                    if (r < size && heap[r] > heap[m]) {
                        m = r;
                    }
                    if (m == i) {
                        break;
                    }
                    swap(i, m);
                    i = m;
                }
            }
        }

        private void swap(int a, int b) {
            double t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }

    // Node layout is implicit: range [lo, hi) split at mid = (lo + hi) / 2 on axis depth % 2.
    private void build(int lo, int hi, int depth) {
        if (hi - lo <= LEAF_SIZE) {
            return;
        }
        int mid = (lo + hi) >>> 1;
        Selection.selectByKey(idx, lo, hi - 1, mid, depth % 2 == 0 ? xs : ys);
        build(lo, mid, depth + 1);
        build(mid + 1, hi, depth + 1);
    }

    /** Squared distance from (qx, qy) to its k-th nearest point (k = buffer capacity), the query point counted if present. */
    double kthNearestSquared(double qx, double qy, KnnBuffer buffer) {
        buffer.size = 0;
        Arrays.fill(buffer.heap, 0);
        search(0, idx.length, 0, qx, qy, buffer);
        return buffer.heap[0];
    }

    private void search(int lo, int hi, int depth, double qx, double qy, KnnBuffer buf) {
        if (hi - lo <= LEAF_SIZE) {
            for (int t = lo; t < hi; t++) {
                int i = idx[t];
                double dx = qx - xs[i];
                double dy = qy - ys[i];
                buf.offer(dx * dx + dy * dy);
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        int m = idx[mid];
        double dx = qx - xs[m];
        double dy = qy - ys[m];
        buf.offer(dx * dx + dy * dy);
        double diff = depth % 2 == 0 ? dx : dy;
        // diff > 0: query lies on the high side of the split.
        if (diff < 0) {
            search(lo, mid, depth + 1, qx, qy, buf);
            if (diff * diff <= buf.worst()) {
                search(mid + 1, hi, depth + 1, qx, qy, buf);
            }
        } else {
            search(mid + 1, hi, depth + 1, qx, qy, buf);
            if (diff * diff <= buf.worst()) {
                search(lo, mid, depth + 1, qx, qy, buf);
            }
        }
    }
}
