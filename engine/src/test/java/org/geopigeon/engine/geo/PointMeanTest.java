package org.geopigeon.engine.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PointMeanTest {

    @Test
    void isTheArithmeticMeanForOrdinaryPoints() {
        LatLon m = PointMean.of(new double[] {48, 50}, new double[] {2, 4}, null);
        assertEquals(49, m.lat(), 1e-12);
        assertEquals(3, m.lon(), 1e-12);
    }

    @Test
    void weightsCount() {
        LatLon m = PointMean.of(new double[] {0, 10}, new double[] {0, 10}, new double[] {3, 1});
        assertEquals(2.5, m.lat(), 1e-12);
        assertEquals(2.5, m.lon(), 1e-12);
    }

    @Test
    void pointsStraddlingTheAntimeridianAverageAcrossIt() {
        // Fiji: 178.0 E and 179.9 W are 2.1 degrees apart, not 357.9.
        LatLon m = PointMean.of(new double[] {-17.8, -16.8}, new double[] {178.0, -179.9}, null);
        assertEquals(-17.3, m.lat(), 1e-12);
        assertEquals(179.05, m.lon(), 1e-9);
        LatLon west = PointMean.of(new double[] {0, 0, 0}, new double[] {179.0, -178.0, -178.0}, null);
        assertEquals(-179.0, west.lon(), 1e-9, "a mean past 180 wraps back to the west");
    }

    @Test
    void refusesEmptyOrMismatchedInput() {
        assertThrows(IllegalArgumentException.class, () -> PointMean.of(new double[0], new double[0], null));
        assertThrows(IllegalArgumentException.class, () -> PointMean.of(new double[] {1}, new double[] {1, 2}, null));
    }
}
