package org.geopigeon.engine.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.NormalizingBackbone;

/**
 * A geocell head from text alone: row c = logitScale * normalise(mean over the cell's captions of
 * normalise(text features)), bias 0. This is CLIP's zero-shot classifier with prompt ensembling (Radford et al.
 * 2021, §3.1.4: average the normalised embeddings of several prompts per class, renormalise), with one class per
 * geocell; the logits are then logitScale * cos(image, cell), as in CLIP's forward pass. The head takes the
 * normalised projected image embedding ({@code headInput = clip-image}).
 */
public final class ZeroShotHead {

    private ZeroShotHead() {
    }

    /**
     * @param captions  captions per cell, in class order; every cell needs at least one
     * @param clip      tokenizer, text tower, logit scale
     * @param batchSize texts per text-tower call
     * @param progress  receives a line now and then, or null
     * @return head [C, P]
     * @throws IllegalArgumentException naming the first cell without captions
     */
    public static GeocellHead build(List<List<String>> captions, ClipModel clip, int batchSize, Consumer<String> progress) {
        int c = captions.size();
        if (c == 0) {
            throw new IllegalArgumentException("no geocells to build a zero-shot head for");
        }
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            if (captions.get(i).isEmpty()) {
                throw new IllegalArgumentException("geocell " + i + " has no captions");
            }
            flat.addAll(captions.get(i));
        }
        long t0 = System.nanoTime();
        float[][] emb = clip.textEmbeddings(flat, batchSize);
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "embedded %d captions for %d geocells in %.1f s", flat.size(), c,
                    (System.nanoTime() - t0) / 1e9));
        }
        int p = emb[0].length;
        float[] weight = new float[c * p];
        int k = 0;
        for (int i = 0; i < c; i++) {
            int n = captions.get(i).size();
            float[] row = classEmbedding(java.util.Arrays.copyOfRange(emb, k, k + n));
            k += n;
            for (int j = 0; j < p; j++) {
                weight[i * p + j] = (float) (clip.logitScale() * row[j]);
            }
        }
        return new GeocellHead(c, p, weight, new float[c]);
    }

    /** normalise(mean of already-normalised rows), accumulated in double. */
    public static float[] classEmbedding(float[][] normalisedRows) {
        int p = normalisedRows[0].length;
        double[] sum = new double[p];
        for (float[] r : normalisedRows) {
            if (r.length != p) {
                throw new IllegalArgumentException("rows of different widths: " + p + " and " + r.length);
            }
            for (int j = 0; j < p; j++) {
                sum[j] += r[j];
            }
        }
        float[] mean = new float[p];
        for (int j = 0; j < p; j++) {
            mean[j] = (float) (sum[j] / normalisedRows.length);
        }
        NormalizingBackbone.normalizeInPlace(mean);
        return mean;
    }
}
