package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bisection fallback: one cut across the principal axis, least squared spread, at least MIN points a side. */
class CellSplitterTest {

    /** {@code a} points around (0, 0) and {@code b} around (dx, dy), jittered by 0.1 degree. */
    private static double[][] twoGroups(int a, int b, double dx, double dy) {
        Random rnd = new Random(5);
        double[] x = new double[a + b];
        double[] y = new double[a + b];
        for (int i = 0; i < a + b; i++) {
            x[i] = (i < a ? 0 : dx) + 0.1 * rnd.nextDouble();
            y[i] = (i < a ? 0 : dy) + 0.1 * rnd.nextDouble();
        }
        return new double[][] {x, y};
    }

    private static int count(int[] labels, int label) {
        return (int) Arrays.stream(labels).filter(l -> l == label).count();
    }

    @Test
    void cutsAtTheGapBetweenTwoUnequalGroupsNotAtTheMedian() {
        double[][] p = twoGroups(50, 25, 3, 3); // a diagonal gap: neither lon nor lat alone is the axis
        int[] labels = CellSplitter.principalAxisCut(p[0], p[1], 20);
        for (int i = 1; i < 50; i++) {
            assertEquals(labels[0], labels[i], "the 50-point group stays whole");
        }
        for (int i = 51; i < 75; i++) {
            assertEquals(labels[50], labels[i], "the 25-point group stays whole");
        }
        assertTrue(labels[0] != labels[50]);
    }

    @Test
    void eachSideKeepsAtLeastMinPoints() {
        double[][] p = twoGroups(70, 5, 10, 0); // 5 far outliers cannot form a cell of their own
        int[] labels = CellSplitter.principalAxisCut(p[0], p[1], 30);
        assertTrue(count(labels, 0) >= 30 && count(labels, 1) >= 30, Arrays.toString(labels));
        assertEquals(75, count(labels, 0) + count(labels, 1));
    }

    @Test
    void pointsAtOnePositionAreNeverSeparated() {
        double[] x = new double[80];
        double[] y = new double[80];
        for (int i = 0; i < 80; i++) {
            x[i] = i < 40 ? 1.0 : 1.0 + 0.01 * i; // 40 photos at one spot, the rest along a line
            y[i] = 2.0;
        }
        int[] labels = CellSplitter.principalAxisCut(x, y, 20);
        for (int i = 1; i < 40; i++) {
            assertEquals(labels[0], labels[i]);
        }
        assertTrue(count(labels, 0) >= 20 && count(labels, 1) >= 20);
    }
}
