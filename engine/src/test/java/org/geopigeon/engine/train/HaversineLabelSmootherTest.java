package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.junit.jupiter.api.Test;

/** Three centroids on the equator 1 degree (111.195 km) apart; values computed by hand (python math). */
class HaversineLabelSmootherTest {

    private static final List<LatLon> CENTROIDS = List.of(new LatLon(0, 0), new LatLon(0, 1), new LatLon(0, 2));
    private static final LatLon AT_FIRST = new LatLon(0, 0);

    @Test
    void minModeGivesOneToTheNearestCentroidAndDecaysWithDistance() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.MIN, false);
        // exp(-111.19508/65) = 0.180740, exp(-222.39016/65) = 0.032667
        assertArrayEquals(new float[] {1f, 0.180740f, 0.032667f}, s.targets(AT_FIRST, 1), 1e-5f);
    }

    @Test
    void minModeIgnoresTheTrueCell() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.MIN, false);
        assertArrayEquals(s.targets(AT_FIRST, 0), s.targets(AT_FIRST, 2), 0f);
        assertArrayEquals(s.targets(AT_FIRST, 0), s.targets(AT_FIRST, -1), 0f);
    }

    @Test
    void trueModeSubtractsTheTrueCellsDistanceSoNearerCellsExceedOne() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.TRUE, false);
        // true cell 1 is 111.195 km away, cell 0 is at distance 0: exp(+111.195/65) = 5.532797
        assertArrayEquals(new float[] {5.532797f, 1f, 0.180740f}, s.targets(AT_FIRST, 1), 1e-5f);
    }

    @Test
    void normalisedTargetsSumToOne() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.MIN, true);
        float[] y = s.targets(AT_FIRST, 0);
        assertArrayEquals(new float[] {0.824125f, 0.148953f, 0.026922f}, y, 1e-5f);
        assertEquals(1.0, y[0] + y[1] + y[2], 1e-6);
    }

    @Test
    void smallerTauConcentratesTheTarget() {
        float[] wide = new HaversineLabelSmoother(CENTROIDS, 300, SmoothingMode.MIN, false).targets(AT_FIRST, 0);
        float[] narrow = new HaversineLabelSmoother(CENTROIDS, 10, SmoothingMode.MIN, false).targets(AT_FIRST, 0);
        assertTrue(narrow[1] < wide[1]);
        assertEquals(Math.exp(-111.19508 / 300), wide[1], 1e-5);
    }

    @Test
    void oneHotPutsAllMassOnTheTrueCell() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.ONE_HOT, false);
        assertArrayEquals(new float[] {0f, 0f, 1f}, s.targets(AT_FIRST, 2), 0f);
    }

    @Test
    void writesIntoABatchBufferAtAnOffset() {
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.MIN, false);
        float[] batch = new float[6];
        s.targets(0, 2, 2, batch, 3);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.032667f, 0.180740f, 1f}, batch, 1e-5f);
    }

    @Test
    void rejectsBadSettingsAndCells() {
        assertThrows(IllegalArgumentException.class, () -> new HaversineLabelSmoother(CENTROIDS, 0, SmoothingMode.MIN, false));
        assertThrows(IllegalArgumentException.class, () -> new HaversineLabelSmoother(List.of(), 65, SmoothingMode.MIN, false));
        var s = new HaversineLabelSmoother(CENTROIDS, 65, SmoothingMode.TRUE, false);
        assertThrows(IllegalArgumentException.class, () -> s.targets(AT_FIRST, 3));
    }

    @Test
    void parsesModeNames() {
        assertEquals(SmoothingMode.ONE_HOT, SmoothingMode.parse("onehot"));
        assertEquals(SmoothingMode.ONE_HOT, SmoothingMode.parse("One-Hot"));
        assertEquals(SmoothingMode.TRUE, SmoothingMode.parse("TRUE"));
        assertThrows(IllegalArgumentException.class, () -> SmoothingMode.parse("gauss"));
    }
}
