package org.geopigeon.engine.model;

import java.util.HashSet;
import java.util.Set;

/**
 * How closely a reduced-precision backbone agrees with fp32 on the same images: the accuracy guard of
 * issue 9 (bf16 must keep the minimum cosine similarity at 0.999 or more; int8's is reported).
 *
 * @param images        images compared
 * @param minCosine     smallest cosine similarity between an image's candidate and fp32 embeddings
 * @param meanCosine    mean of those cosine similarities
 * @param top1Agreement fraction of images whose most probable geocell (under the same head) is the same
 * @param top5Overlap   mean of |top-5 cells(candidate) &cap; top-5 cells(fp32)| / 5 over the images
 *                      (1 = the same five cells, in any order)
 */
public record PrecisionAgreement(int images, double minCosine, double meanCosine, double top1Agreement,
                                 double top5Overlap) {

    /**
     * @param reference fp32 embeddings, [images][D]
     * @param candidate embeddings of the same images from the other precision, [images][D]
     * @param head      geocell head applied to both (C at least 5)
     * @throws IllegalArgumentException when the shapes differ or there are no images
     */
    public static PrecisionAgreement of(float[][] reference, float[][] candidate, GeocellHead head) {
        if (reference.length == 0 || reference.length != candidate.length) {
            throw new IllegalArgumentException("need the same, non-zero number of embeddings, got "
                    + reference.length + " and " + candidate.length);
        }
        int k = Math.min(5, head.numCells());
        double min = Double.POSITIVE_INFINITY;
        double sum = 0;
        int top1 = 0;
        double overlap = 0;
        for (int i = 0; i < reference.length; i++) {
            double c = cosine(reference[i], candidate[i]);
            min = Math.min(min, c);
            sum += c;
            int[] a = topK(head.logits(reference[i]), k);
            int[] b = topK(head.logits(candidate[i]), k);
            if (a[0] == b[0]) {
                top1++;
            }
            Set<Integer> sa = new HashSet<>();
            for (int x : a) {
                sa.add(x);
            }
            int common = 0;
            for (int x : b) {
                common += sa.contains(x) ? 1 : 0;
            }
            overlap += (double) common / k;
        }
        int n = reference.length;
        return new PrecisionAgreement(n, min, sum / n, (double) top1 / n, overlap / n);
    }

    /** Cosine similarity, accumulated in double. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different length: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static int[] topK(float[] logits, int k) {
        int[] best = new int[k];
        java.util.Arrays.fill(best, -1);
        for (int c = 0; c < logits.length; c++) {
            int pos = k;
            while (pos > 0 && (best[pos - 1] < 0 || logits[c] > logits[best[pos - 1]])) {
                pos--;
            }
            if (pos < k) {
                System.arraycopy(best, pos, best, pos + 1, k - pos - 1);
                best[pos] = c;
            }
        }
        return best;
    }

    /** One line, e.g. "cosine min 0.99991 mean 0.99997, top-1 agreement 100.0%, top-5 overlap 99.1% (29 images)". */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "cosine min %.6f mean %.6f, top-1 agreement %.1f%%, top-5 overlap %.1f%% (%d images)",
                minCosine, meanCosine, 100 * top1Agreement, 100 * top5Overlap, images);
    }
}
