package org.geopigeon.engine.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * A hand-computed example with 2-D embeddings and the query e = (0, 0).
 *
 * <pre>
 * cell 0  centroid (10, 11)
 *   cluster 0  prototype (0, 1)   |e - p| = 1   <- nearest, s_0 = -1
 *     member 0  emb (0, 0.5)  at (10, 10)   distance 0.5  (argmin: the paper's choice)
 *     member 1  emb (0, 1.5)  at (11, 11)   distance 1.5  (argmax: what PIGEON's code picks)
 *   cluster 1  prototype (3, 4)   |e - p| = 5
 *     member 2  emb (3, 4)    at (40, 40)
 * cell 1  centroid (12, 12)
 *   cluster 2  prototype (2, 0)   |e - p| = 2   s_1 = -2
 *     member 3  emb (2, 0)    at (12, 12)   (single member)
 * cell 2  centroid (-30, -60)     no clusters   s_2 = -inf
 * </pre>
 * All values are exact in float16, so the index's storage does not change them.
 */
class RetrievalRefinerTest {

    private static final float[] QUERY = {0f, 0f};

    private static final RefinementIndex INDEX = RefinementIndex.of(2,
            new int[] {0, 2, 3, 3},
            new float[] {0, 1, 3, 4, 2, 0},
            new int[] {0, 2, 3, 4},
            new float[] {0, 0.5f, 0, 1.5f, 3, 4, 2, 0},
            new float[] {10, 10, 11, 11, 40, 40, 12, 12});

    private static final GeocellSet CELLS = new GeocellSet("test", List.of(
            cell(0, 10, 11), cell(1, 12, 12), cell(2, -30, -60)));

    @Test
    void picksTheNearestMemberOfTheNearestClusterNotTheFarthest() {
        // T = 1: q = softmax(-1, -2, -inf) = (0.7311, 0.2689, 0)
        // scores = (0.5 * 0.7311, 0.3 * 0.2689, 0) = (0.3655, 0.0807, 0) -> cell 0
        // cell 0's nearest cluster is cluster 0; its argmin member is member 0 at (10, 10),
        // 109.5 km from the top-1 centroid (10, 11): within the 1000 km fallback.
        RefinementResult r = new RetrievalRefiner(INDEX, CELLS, 1.0, 1000)
                .refine(QUERY, new int[] {0, 1, 2}, new double[] {0.5, 0.3, 0.2});

        assertTrue(r.refined());
        assertEquals(RefinementResult.Outcome.REFINED, r.outcome());
        assertEquals(0, r.chosenCell());
        assertEquals(0, r.chosenMember(), "argmin of the member distance (0.5), not argmax (member 1 at 1.5)");
        assertEquals(new LatLon(10, 10), r.point());
        assertEquals(109.5, r.distanceFromTopCentroidKm(), 0.1);
    }

    @Test
    void lowTemperatureTrustsRetrievalHighTemperatureTrustsTheHead() {
        int[] cells = {0, 1};
        double[] p = {0.4, 0.6}; // the head prefers cell 1, retrieval prefers cell 0 (prototype 1 vs 2 away)

        // T = 1:  q = (0.7311, 0.2689); scores (0.2924, 0.1614) -> cell 0, member 0 at (10, 10)
        RefinementResult sharp = new RetrievalRefiner(INDEX, CELLS, 1.0, 1000).refine(QUERY, cells, p);
        assertEquals(0, sharp.chosenCell());
        assertEquals(new LatLon(10, 10), sharp.point());

        // T = 10: q = softmax(-0.1, -0.2) = (0.5250, 0.4750); scores (0.2100, 0.2850) -> cell 1, member 3 at (12, 12)
        RefinementResult flat = new RetrievalRefiner(INDEX, CELLS, 10.0, 1000).refine(QUERY, cells, p);
        assertEquals(1, flat.chosenCell());
        assertEquals(3, flat.chosenMember());
        assertEquals(new LatLon(12, 12), flat.point());
        assertTrue(flat.refined());
    }

    @Test
    void fallsBackToTheTopCentroidWhenTheWinnerIsTooFarAway() {
        // As above at T = 1: cell 0 wins with (10, 10); the top-1 cell is cell 1 (P = 0.6), centroid (12, 12).
        // haversine((10, 10), (12, 12)) = 311.6 km with R = 6371.0088 km.
        int[] cells = {0, 1};
        double[] p = {0.4, 0.6};

        RefinementResult far = new RetrievalRefiner(INDEX, CELLS, 1.0, 300).refine(QUERY, cells, p);
        assertFalse(far.refined());
        assertEquals(RefinementResult.Outcome.FELL_BACK_TOO_FAR, far.outcome());
        assertEquals(new LatLon(12, 12), far.point());
        assertEquals(1, far.chosenCell());
        assertEquals(311.6, far.distanceFromTopCentroidKm(), 0.1);

        RefinementResult near = new RetrievalRefiner(INDEX, CELLS, 1.0, 320).refine(QUERY, cells, p);
        assertTrue(near.refined());
        assertEquals(new LatLon(10, 10), near.point());
    }

    @Test
    void cellsWithoutClustersNeverWinButStillDefineTheTopCentroid() {
        // Cell 2 has P = 0.8 but no clusters: q_2 = 0. Cell 0 wins (0.1 * 0.7311 > 0.1 * 0.2689).
        RefinementResult r = new RetrievalRefiner(INDEX, CELLS, 1.0, 20_000)
                .refine(QUERY, new int[] {2, 0, 1}, new double[] {0.8, 0.1, 0.1});
        assertEquals(0, r.chosenCell());
        assertEquals(new LatLon(10, 10), r.point());

        RefinementResult none = new RetrievalRefiner(INDEX, CELLS, 1.0, 1000)
                .refine(QUERY, new int[] {2}, new double[] {1.0});
        assertFalse(none.refined());
        assertEquals(RefinementResult.Outcome.NO_CLUSTERS, none.outcome());
        assertEquals(new LatLon(-30, -60), none.point());
        assertEquals(-1, none.chosenMember());
    }

    @Test
    void softmaxGivesZeroToMinusInfinityAndSurvivesLargeScores() {
        assertArrayEquals(new double[] {0.7310585786300049, 0.2689414213699951, 0},
                RetrievalRefiner.softmax(new double[] {-1, -2, Double.NEGATIVE_INFINITY}, 1.0), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5},
                RetrievalRefiner.softmax(new double[] {-5000, -5000}, 0.01), 1e-12);
        assertArrayEquals(new double[] {0, 0},
                RetrievalRefiner.softmax(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 1.0));
    }

    @Test
    void rejectsInconsistentInputsWithClearMessages() {
        RetrievalRefiner refiner = new RetrievalRefiner(INDEX, CELLS, 1.0, 1000);
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> refiner.refine(new float[3], new int[] {0}, new double[] {1}));
        assertTrue(dim.getMessage().contains("dimension 3"), dim.getMessage());
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
                () -> refiner.refine(QUERY, new int[] {7}, new double[] {1}));
        assertTrue(cell.getMessage().contains("candidate cell 7"), cell.getMessage());
        assertThrows(IllegalArgumentException.class, () -> refiner.refine(QUERY, new int[] {0, 1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new RetrievalRefiner(INDEX, CELLS, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new RetrievalRefiner(INDEX, CELLS, 1, -1));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> new RetrievalRefiner(INDEX,
                new GeocellSet("two", List.of(cell(0, 0, 0), cell(1, 1, 1))), 1, 1000));
        assertTrue(size.getMessage().contains("3 cells"), size.getMessage());
    }

    private static Geocell cell(int index, double lat, double lon) {
        Polygon box = (Polygon) GeoJsonGeometry.WGS84.toGeometry(new Envelope(lon - 1, lon + 1, lat - 1, lat + 1));
        MultiPolygon mp = GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {box});
        return new Geocell(index, "C" + index, "cell " + index, "", "", 1, new LatLon(lat, lon), mp);
    }
}
