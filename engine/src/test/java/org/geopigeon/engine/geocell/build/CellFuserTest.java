package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fuse preference order: small same admin-1, any same admin-1, small elsewhere, any; within a
 * group the largest candidate (PIGEON) or the closest one by Ward's cost wins.
 */
class CellFuserTest {

    private static final int MIN = 10;

    private static int next;

    private static WorkCell cell(String id, String admin1, int points, double x0, double y0, double x1, double y1) {
        int[] idx = IntStream.range(next, next + points).toArray();
        next += points;
        return new WorkCell(id, id, admin1, "AAA", SyntheticWorld.box(x0, y0, x1, y1), idx);
    }

    private static List<WorkCell> fuse(WorkCell... cells) {
        List<WorkCell> list = new ArrayList<>(List.of(cells));
        new CellFuser(MIN, new Random(330)).fuse(list);
        return list;
    }

    @Test
    void sameAdmin1NeighbourBeatsALargerNeighbourElsewhere() {
        WorkCell small = cell("s", "X", 5, 1, 0, 2, 1);
        WorkCell sameAdmin1 = cell("b", "X", 50, 0, 0, 1, 1);
        WorkCell otherAdmin1 = cell("c", "Y", 100, 2, 0, 3, 1);
        List<WorkCell> out = fuse(small, sameAdmin1, otherAdmin1);
        assertEquals(2, out.size());
        assertEquals(55, sameAdmin1.count(), "the small cell joined its admin-1 neighbour");
        assertEquals(100, otherAdmin1.count());
    }

    @Test
    void smallSameAdmin1NeighboursMergeWithEachOtherFirst() {
        WorkCell s1 = cell("s1", "X", 5, 1, 0, 2, 1);
        WorkCell s2 = cell("s2", "X", 8, 2, 0, 3, 1);
        WorkCell large = cell("b", "X", 50, 0, 0, 1, 1);
        List<WorkCell> out = fuse(s1, s2, large);
        assertEquals(2, out.size());
        assertEquals(50, large.count(), "the large cell stays untouched");
        assertTrue(out.stream().anyMatch(c -> c.count() == 13), "the two small cells became one");
    }

    @Test
    void amongEquallyPreferredNeighboursTheLargestWins() {
        WorkCell small = cell("s", "X", 5, 1, 0, 2, 1);
        WorkCell left = cell("l", "Y", 50, 0, 0, 1, 1);
        WorkCell right = cell("r", "Z", 80, 2, 0, 3, 1);
        fuse(small, left, right);
        assertEquals(85, right.count());
        assertEquals(50, left.count());
    }

    @Test
    void onlyTouchingCellsAreNeighbours() {
        WorkCell small = cell("s", "X", 5, 1, 0, 2, 1);
        WorkCell touching = cell("t", "Y", 20, 2, 0, 3, 1);
        WorkCell farSameAdmin1 = cell("f", "X", 100, 10, 0, 11, 1);
        fuse(small, touching, farSameAdmin1);
        assertEquals(25, touching.count());
        assertEquals(100, farSameAdmin1.count());
    }

    @Test
    void isolatedSmallCellStaysAndCountryBelowMinBecomesOneCell() {
        WorkCell island = cell("i", "X", 5, 50, 50, 51, 51);
        WorkCell main = cell("m", "Y", 20, 0, 0, 1, 1);
        List<WorkCell> out = fuse(island, main);
        assertEquals(2, out.size(), "a remote island is not merged across 50 degrees");

        WorkCell a = cell("a", "X", 3, 0, 0, 1, 1);
        WorkCell b = cell("b", "Y", 4, 30, 30, 31, 31);
        List<WorkCell> tiny = fuse(a, b);
        assertEquals(1, tiny.size());
        assertSame(b, tiny.get(0), "the larger cell absorbs the rest");
        assertEquals(7, b.count());
    }

    /** Cells over the points of {@code lons}/{@code lats}, each holding the points of [from, to). */
    private static WorkCell placed(String id, String admin1, int from, int to, double x0, double x1) {
        return new WorkCell(id, id, admin1, "AAA", SyntheticWorld.box(x0, 0, x1, 1), IntStream.range(from, to).toArray());
    }

    /** 5 points at x 1.5 (small cell), 50 at x 0.9 (left neighbour's edge), 80 at x 2.9 (right neighbour's far side). */
    private static double[][] smallBetweenNearAndFar() {
        double[] lons = new double[135];
        double[] lats = new double[135];
        for (int i = 0; i < 135; i++) {
            lons[i] = i < 5 ? 1.5 : i < 55 ? 0.9 : 2.9;
            lats[i] = 0.5 + 0.001 * (i % 7);
        }
        return new double[][] {lons, lats};
    }

    @Test
    void closestTargetJoinsTheNeighbourWhosePointsAreNearestNotTheLargest() {
        double[][] pos = smallBetweenNearAndFar();
        WorkCell small = placed("s", "X", 0, 5, 1, 2);
        WorkCell left = placed("l", "Y", 5, 55, 0, 1);
        WorkCell right = placed("r", "Z", 55, 135, 2, 3);
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, pos[0], pos[1])
                .fuse(new ArrayList<>(List.of(small, left, right)));
        assertEquals(55, left.count(), "photos 0.6 degrees away beat a larger neighbour whose photos are 1.4 away");
        assertEquals(80, right.count());

        WorkCell small2 = placed("s", "X", 0, 5, 1, 2);
        WorkCell left2 = placed("l", "Y", 5, 55, 0, 1);
        WorkCell right2 = placed("r", "Z", 55, 135, 2, 3);
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.LARGEST, pos[0], pos[1])
                .fuse(new ArrayList<>(List.of(small2, left2, right2)));
        assertEquals(85, right2.count(), "PIGEON's rule still picks the largest");
    }

    @Test
    void closestTargetKeepsThePreferenceOrder() {
        double[][] pos = smallBetweenNearAndFar();
        // The far neighbour shares the small cell's admin-1: the admin-1 group is tried first, whatever the distance.
        WorkCell small = placed("s", "X", 0, 5, 1, 2);
        WorkCell near = placed("l", "Y", 5, 55, 0, 1);
        WorkCell far = placed("r", "X", 55, 135, 2, 3);
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, pos[0], pos[1])
                .fuse(new ArrayList<>(List.of(small, near, far)));
        assertEquals(85, far.count());
        assertEquals(50, near.count());
    }

    @Test
    void closestTargetNeedsPointPositions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CellFuser(MIN, new Random(1), BuildOptions.FuseTarget.CLOSEST, null, null));
        assertTrue(e.getMessage().contains("point positions"), e.getMessage());
    }

    /** 5 points at lon 1.5, 50 at lon 0.5, 80 at lon 12.5 (all at lat 0.5): the far ones 1200 km from the small cell. */
    private static double[][] smallNearOneFarFromOther() {
        double[] lons = new double[135];
        double[] lats = new double[135];
        for (int i = 0; i < 135; i++) {
            lons[i] = i < 5 ? 1.5 : i < 55 ? 0.5 : 12.5;
            lats[i] = 0.5;
        }
        return new double[][] {lons, lats};
    }

    @Test
    void aFuseThatWouldJoinFarApartPhotosIsRefused() {
        double[][] pos = smallNearOneFarFromOther();
        // The small cell's polygon reaches the far cell's (a long admin unit), but its photos are 1200 km away.
        WorkCell small = new WorkCell("s", "s", "X", "AAA", SyntheticWorld.box(1, 0, 2, 1), IntStream.range(0, 5).toArray());
        WorkCell far = new WorkCell("f", "f", "X", "AAA", SyntheticWorld.box(2, 0, 13, 1), IntStream.range(55, 135).toArray());
        WorkCell near = new WorkCell("n", "n", "Y", "AAA", SyntheticWorld.box(0, 0, 1, 1), IntStream.range(5, 55).toArray());
        List<WorkCell> limited = new ArrayList<>(List.of(small, far, near));
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, pos[0], pos[1], 500).fuse(limited);
        assertEquals(80, far.count(), "the same-admin-1 neighbour 1200 km away is no candidate under a 500 km radius");
        assertEquals(55, near.count(), "the small cell joined the neighbour whose photos are 110 km away instead");
        assertEquals(2, limited.size());
    }

    @Test
    void aSmallCellWhoseOnlyNeighbourIsFarStaysBelowMin() {
        double[][] pos = smallNearOneFarFromOther();
        WorkCell small = new WorkCell("s", "s", "X", "AAA", SyntheticWorld.box(1, 0, 2, 1), IntStream.range(0, 5).toArray());
        WorkCell far = new WorkCell("f", "f", "X", "AAA", SyntheticWorld.box(2, 0, 13, 1), IntStream.range(55, 135).toArray());
        List<WorkCell> limited = new ArrayList<>(List.of(small, far));
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, pos[0], pos[1], 500).fuse(limited);
        assertEquals(2, limited.size(), "no merge puts photos more than 500 km from their centroid");
        assertEquals(5, small.count());

        WorkCell small2 = new WorkCell("s", "s", "X", "AAA", SyntheticWorld.box(1, 0, 2, 1), IntStream.range(0, 5).toArray());
        WorkCell far2 = new WorkCell("f", "f", "X", "AAA", SyntheticWorld.box(2, 0, 13, 1), IntStream.range(55, 135).toArray());
        List<WorkCell> unlimited = new ArrayList<>(List.of(small2, far2));
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, pos[0], pos[1], Double.POSITIVE_INFINITY)
                .fuse(unlimited);
        assertEquals(1, unlimited.size(), "without a limit (PIGEON) the small cell merges whatever the distance");
    }

    @Test
    void theRadiusLimitIsOnTheMergedCellSoChainsStop() {
        // Three small cells in a row, photos 700 km apart: a pair fits in a 500 km radius (350 km), all three
        // do not (the end cells' photos 700 km from the middle), so a merged cell cannot grow into a chain.
        double[] lons = new double[15];
        double[] lats = new double[15];
        for (int i = 0; i < 15; i++) {
            lons[i] = (i / 5) * 6.3;
            lats[i] = 0.5;
        }
        WorkCell a = new WorkCell("a", "a", "X", "AAA", SyntheticWorld.box(-3.15, 0, 3.15, 1), IntStream.range(0, 5).toArray());
        WorkCell b = new WorkCell("b", "b", "X", "AAA", SyntheticWorld.box(3.15, 0, 9.45, 1), IntStream.range(5, 10).toArray());
        WorkCell c = new WorkCell("c", "c", "X", "AAA", SyntheticWorld.box(9.45, 0, 15.75, 1), IntStream.range(10, 15).toArray());
        List<WorkCell> cells = new ArrayList<>(List.of(a, b, c));
        new CellFuser(MIN, new Random(330), BuildOptions.FuseTarget.CLOSEST, lons, lats, 500).fuse(cells);
        assertEquals(2, cells.size(), "one pair merged, the third cell could not join it");
        assertTrue(cells.stream().anyMatch(x -> x.count() == 10));
        assertTrue(cells.stream().anyMatch(x -> x.count() == 5));
    }

    @Test
    void radiusLimitNeedsPointPositionsAndAPositiveValue() {
        assertThrows(IllegalArgumentException.class,
                () -> new CellFuser(MIN, new Random(1), BuildOptions.FuseTarget.LARGEST, null, null, 500));
        double[] xs = {0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CellFuser(MIN, new Random(1), BuildOptions.FuseTarget.CLOSEST, xs, xs, 0));
        assertTrue(e.getMessage().contains("radius"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BuildOptions(30, 60, 1, true,
                BuildOptions.FuseTarget.CLOSEST, Double.NaN));
    }
}
