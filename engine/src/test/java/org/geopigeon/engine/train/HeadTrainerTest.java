package org.geopigeon.engine.train;

import org.geopigeon.engine.geocell.TestGeocells;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.model.GeocellHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three well-separated cells; embedding = one-hot of the cell + Gaussian noise: trivially separable. */
class HeadTrainerTest {

    private static final GeocellSet CELLS = TestGeocells.squares(2, new LatLon(10, 10), new LatLon(-20, 40), new LatLon(45, -100));
    private static final int D = 8;

    private static Gallery separable(int n, long seed) {
        Random r = new Random(seed);
        float[] e = new float[n * D];
        float[] ll = new float[n * 2];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            for (int j = 0; j < D; j++) {
                e[i * D + j] = (float) (0.3 * r.nextGaussian()) + (j == c ? 1f : 0f);
            }
            LatLon centre = CELLS.get(c).centroid();
            ll[2 * i] = (float) (centre.lat() + r.nextDouble() - 0.5);
            ll[2 * i + 1] = (float) (centre.lon() + r.nextDouble() - 0.5);
        }
        return new Gallery(D, e, ll);
    }

    private static TrainingConfig config() {
        return TrainingConfig.defaults().withEpochs(15).withBatchSize(32).withLearningRate(0.05).withSeed(7);
    }

    @Test
    void learnsASeparableProblem() throws IOException {
        Gallery g = separable(600, 1);
        int[] labels = GeocellLabels.assign(CELLS, g);
        TrainingResult result = new HeadTrainer(config(), null).train(g, labels, CELLS);
        assertEquals(540, result.trainRows());
        assertEquals(60, result.valRows());
        Gallery test = separable(300, 2);
        int correct = 0;
        int[] testLabels = GeocellLabels.assign(CELLS, test);
        for (int i = 0; i < test.size(); i++) {
            if (argMax(result.head().logits(test.embedding(i))) == testLabels[i]) {
                correct++;
            }
        }
        assertTrue(correct / 300.0 > 0.9, "held-out accuracy " + correct / 300.0);
        assertTrue(result.best().valAcc200() > 0.9, "validation acc@200 " + result.best().valAcc200());
        assertTrue(result.history().get(result.history().size() - 1).trainLoss() < result.history().get(0).trainLoss());
    }

    @Test
    void sameSeedGivesIdenticalWeights(@TempDir Path dir) throws Exception {
        Gallery g = separable(300, 3);
        int[] labels = GeocellLabels.assign(CELLS, g);
        TrainingConfig cfg = config().withEpochs(3);
        GeocellHead a = new HeadTrainer(cfg, null).train(g, labels, CELLS).head();
        GeocellHead b = new HeadTrainer(cfg, null).train(g, labels, CELLS).head();
        a.write(dir.resolve("a.safetensors"));
        b.write(dir.resolve("b.safetensors"));
        float[] wa = Safetensors.read(dir.resolve("a.safetensors")).get("weight").toFloats();
        float[] wb = Safetensors.read(dir.resolve("b.safetensors")).get("weight").toFloats();
        assertArrayEquals(wa, wb, 0f);
        GeocellHead other = new HeadTrainer(cfg.withSeed(8), null).train(g, labels, CELLS).head();
        other.write(dir.resolve("c.safetensors"));
        float[] wc = Safetensors.read(dir.resolve("c.safetensors")).get("weight").toFloats();
        assertTrue(!java.util.Arrays.equals(wa, wc), "a different seed must give different weights");
    }

    @Test
    void writtenHeadHasTheBundleLayout(@TempDir Path dir) throws Exception {
        Gallery g = separable(90, 4);
        GeocellHead h = new HeadTrainer(config().withEpochs(1), null).train(g, GeocellLabels.assign(CELLS, g), CELLS).head();
        Path f = dir.resolve("head.safetensors");
        h.write(f);
        var t = Safetensors.read(f);
        assertArrayEquals(new long[] {3, D}, t.get("weight").shape());
        assertArrayEquals(new long[] {3}, t.get("bias").shape());
        assertEquals(3, GeocellHead.read(f).numCells());
    }

    @Test
    void rejectsLabelsThatDoNotMatchTheGallery() {
        Gallery g = separable(30, 5);
        var trainer = new HeadTrainer(config(), null);
        assertThrows(IllegalArgumentException.class, () -> trainer.train(g, new int[29], CELLS));
        int[] bad = new int[30];
        bad[3] = 7;
        var e = assertThrows(IllegalArgumentException.class, () -> trainer.train(g, bad, CELLS));
        assertTrue(e.getMessage().contains("row 3"), e.getMessage());
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
