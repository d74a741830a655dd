package org.geopigeon.engine.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** CLIP's symmetric InfoNCE (Radford et al. 2021, Fig. 3) against the formula evaluated by hand in double. */
class SymmetricInfoNceTest {

    @Test
    void matchesTheFormula() {
        float[][] img = {{1, 0.5f, -0.2f}, {0.1f, 1, 0.3f}, {-0.4f, 0.2f, 1}};
        float[][] txt = {{0.9f, 0.1f, 0}, {0, 1, 0.2f}, {0.3f, -0.1f, 0.8f}};
        float scale = 10;
        // Expected: normalise both, logits = scale * I T^T, mean of row and column cross-entropies on the diagonal.
        int b = 3;
        double[][] ni = norm(img);
        double[][] nt = norm(txt);
        double[][] l = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < 3; k++) {
                    l[i][j] += scale * ni[i][k] * nt[j][k];
                }
            }
        }
        double rows = 0;
        double cols = 0;
        for (int i = 0; i < b; i++) {
            double sr = 0;
            double sc = 0;
            for (int j = 0; j < b; j++) {
                sr += Math.exp(l[i][j]);
                sc += Math.exp(l[j][i]);
            }
            rows += Math.log(sr) - l[i][i];
            cols += Math.log(sc) - l[i][i];
        }
        double expected = (rows / b + cols / b) / 2;
        float[] ti = new float[9];
        float[] tt = new float[9];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(img[i], 0, ti, 3 * i, 3);
            double[] r = nt[i];
            for (int k = 0; k < 3; k++) {
                tt[3 * i + k] = (float) r[k];
            }
        }
        Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float loss = CaptionPretrainer.symmetricInfoNce(m.create(ti, new Shape(3, 3)), m.create(tt, new Shape(3, 3)), scale)
                    .getFloat();
            assertEquals(expected, loss, 1e-5);
        }
    }

    @Test
    void configRejectsBatchesWithoutNegatives() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PretrainConfig(1, 1, 1e-5, 0, 2, 1));
        assertEquals("batch size must be >= 2 (a contrastive batch needs negatives), got 1", e.getMessage());
    }

    private static double[][] norm(float[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (float x : v[i]) {
                s += x * x;
            }
            out[i] = new double[v[i].length];
            for (int k = 0; k < v[i].length; k++) {
                out[i][k] = v[i][k] / Math.sqrt(s);
            }
        }
        return out;
    }
}
