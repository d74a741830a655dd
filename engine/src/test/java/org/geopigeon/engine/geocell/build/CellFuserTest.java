package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fuse preference order: small same admin-1, any same admin-1, small elsewhere, any; largest candidate wins. */
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
}
