package org.geopigeon.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.junit.jupiter.api.Test;

/** Back-end equivalence, parameter handling and the convenience API. */
class OpticsTest {

    @Test
    void kdTreeCoreDistancesEqualBruteForce() {
        Random rnd = new Random(3);
        int n = 3000;
        double[][] pts = new double[n][2];
        for (int i = 0; i < n; i++) {
            // Rounded coordinates make many duplicates and ties.
            pts[i][0] = Math.round(rnd.nextGaussian() * 50) / 10.0;
            pts[i][1] = Math.round(rnd.nextGaussian() * 50) / 10.0;
        }
        EuclideanPoints2D tree = EuclideanPoints2D.of(pts);
        DistanceMatrix brute = DistanceMatrix.compute(n, tree::distance);
        for (int k : new int[] {1, 2, 7, 40}) {
            assertArrayEquals(brute.kthNeighborDistances(k), tree.kthNeighborDistances(k), 0.0, "k = " + k);
        }
        OpticsResult a = Optics.run(tree, 7);
        OpticsResult b = Optics.run(brute, 7);
        assertArrayEquals(a.ordering(), b.ordering());
        assertArrayEquals(a.reachability(), b.reachability(), 0.0);
    }

    @Test
    void twoSeparatedGridsGiveTwoClusters() {
        // Two 10x10 grids (spacing 0.1) 10 apart; scikit-learn labels them 0 and 1, every point.
        double[][] pts = new double[200][2];
        for (int i = 0; i < 100; i++) {
            pts[i] = new double[] {(i / 10) * 0.1, (i % 10) * 0.1};
            pts[100 + i] = new double[] {10 + (i / 10) * 0.1, (i % 10) * 0.1};
        }
        int[] labels = Optics.xiLabels(pts, 10, 0.05, 20);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, labels[i]);
            assertEquals(1, labels[100 + i]);
        }
    }

    @Test
    void haversineMatrixIsSymmetricWithZeroDiagonal() {
        List<LatLon> p = List.of(new LatLon(48.85, 2.35), new LatLon(51.5, -0.12), new LatLon(40.4, -3.7));
        DistanceMatrix m = DistanceMatrix.haversineKm(p);
        assertEquals(0.0, m.distance(1, 1));
        assertEquals(m.distance(0, 2), m.distance(2, 0));
        assertEquals(Haversine.km(p.get(0), p.get(1)), m.distance(0, 1), 1e-12);
    }

    @Test
    void maxEpsCutsReachabilityToInfinity() {
        double[][] pts = {{0, 0}, {0.1, 0}, {0.2, 0}, {5, 0}, {5.1, 0}, {5.2, 0}};
        OpticsResult r = Optics.run(EuclideanPoints2D.of(pts), 2, 1.0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, r.ordering());
        assertEquals(Double.POSITIVE_INFINITY, r.reachability()[3], "the far group starts a new component");
        assertEquals(0.1, r.reachability()[4], 1e-12);
    }

    @Test
    void rejectsBadParameters() {
        EuclideanPoints2D three = EuclideanPoints2D.of(new double[][] {{0, 0}, {1, 1}, {2, 2}});
        assertThrows(IllegalArgumentException.class, () -> Optics.run(three, 1));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> Optics.run(three, 4));
        assertTrue(tooMany.getMessage().contains("number of samples (3)"));
        assertThrows(IllegalArgumentException.class, () -> Optics.run(three, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> XiClusters.labels(Optics.run(three, 2), 1.5));
        assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.of(new double[][] {{0, 1}, {2, 0}}));
        assertThrows(IllegalArgumentException.class, () -> new EuclideanPoints2D(new double[] {Double.NaN}, new double[] {0}));
        assertEquals(2, Optics.resolveMinSamples(0.001, 100), "fractions floor to at least 2");
        assertEquals(25, Optics.resolveMinSamples(0.25, 100));
        assertEquals(7, Optics.resolveMinSamples(7, 100));
    }
}
