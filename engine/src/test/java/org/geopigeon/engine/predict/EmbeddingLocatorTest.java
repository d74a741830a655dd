package org.geopigeon.engine.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.TestGeocells;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.refine.RetrievalRefiner;
import org.junit.jupiter.api.Test;

class EmbeddingLocatorTest {

    private static final GeocellSet CELLS = TestGeocells.squares(2, new LatLon(0, 0), new LatLon(0, 10), new LatLon(40, 40));
    /** logits = embedding (identity head, D = C = 3). */
    private static final GeocellHead IDENTITY = new GeocellHead(3, 3, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new float[3]);

    @Test
    void ranksCellsAndReportsTheTopCentroidWithoutRefinement() {
        EmbeddingLocator l = new EmbeddingLocator(IDENTITY, CELLS, null, 3, 3);
        EmbeddingLocator.Result r = l.locate(new float[] {1, 3, 2});
        assertArrayEquals(new int[] {1, 2, 0}, r.topCells());
        assertEquals(CELLS.get(1).centroid(), r.location());
        assertFalse(r.refined());
        double[] p = GeocellHead.softmax(new float[] {1, 3, 2});
        assertEquals(p[1], r.topProbs()[0], 1e-12);
    }

    @Test
    void refinementMovesThePointToTheNearestGalleryMember() {
        // cell 1 has one cluster of two members; the query equals the second member's embedding
        float[] members = {0, 5, 0, 0, 3, 1};
        RefinementIndex index = RefinementIndex.of(3, new int[] {0, 0, 1, 1}, new float[] {0, 4, 0.5f},
                new int[] {0, 2}, members, new float[] {0.2f, 10.1f, -0.3f, 9.8f});
        EmbeddingLocator l = new EmbeddingLocator(IDENTITY, CELLS, new RetrievalRefiner(index, CELLS, 1.6, 1000), 2, 3);
        EmbeddingLocator.Result r = l.locate(new float[] {0, 3, 1});
        assertTrue(r.refined());
        assertEquals(-0.3, r.location().lat(), 1e-6);
        assertEquals(9.8, r.location().lon(), 1e-5);
        assertEquals(2, r.topCells().length);
    }

    @Test
    void rejectsAHeadThatDoesNotMatchTheCells() {
        GeocellHead two = new GeocellHead(2, 3, new float[6], new float[2]);
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingLocator(two, CELLS, null, 1, 1));
    }

    @Test
    void confidenceIsOneMinusNormalisedEntropy() {
        assertEquals(0.0, EmbeddingLocator.confidence(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-12);
        assertEquals(1.0, EmbeddingLocator.confidence(new double[] {1, 0, 0}), 1e-12);
        assertEquals(1.0, EmbeddingLocator.confidence(new double[] {1}), 1e-12);
        // H(0.5, 0.5, 0, 0) = ln 2; ln 4 = 2 ln 2 -> 1 - 1/2
        assertEquals(0.5, EmbeddingLocator.confidence(new double[] {0.5, 0.5, 0, 0}), 1e-12);
    }

    @Test
    void refinementCanBeTurnedOffPerCallAndTheListenerCancelsBeforeTheHead() {
        RefinementIndex index = RefinementIndex.of(3, new int[] {0, 0, 1, 1}, new float[] {0, 4, 0.5f},
                new int[] {0, 2}, new float[] {0, 5, 0, 0, 3, 1}, new float[] {0.2f, 10.1f, -0.3f, 9.8f});
        EmbeddingLocator l = new EmbeddingLocator(IDENTITY, CELLS, new RetrievalRefiner(index, CELLS, 1.6, 1000), 2, 3);
        List<Stage> seen = new ArrayList<>();
        StageListener record = new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
                seen.add(stage);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        EmbeddingLocator.Result off = l.locate(new float[] {0, 3, 1}, 1, false, record);
        assertFalse(off.refined());
        assertEquals(CELLS.get(1).centroid(), off.location());
        assertEquals(1, off.topCells().length);
        assertEquals(0.0, off.refineMs());
        assertEquals(List.of(Stage.HEAD), seen);
        l.locate(new float[] {0, 3, 1}, 1, true, record);
        assertEquals(List.of(Stage.HEAD, Stage.HEAD, Stage.REFINE), seen);
        StageListener cancelled = new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class, () -> l.locate(new float[] {0, 3, 1}, 1, true, cancelled));
    }
}
