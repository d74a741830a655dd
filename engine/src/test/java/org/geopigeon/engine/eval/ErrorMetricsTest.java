package org.geopigeon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.junit.jupiter.api.Test;

/**
 * Along a meridian the great-circle distance is R * delta-lat in radians: with R = 6371.0088 km,
 * one degree of latitude is 6371.0088 * pi / 180 = 111.19508 km.
 */
class ErrorMetricsTest {

    private static final double KM_PER_DEGREE = 6371.0088 * Math.PI / 180; // 111.19508

    @Test
    void computesAccuracyMeanMedianAndScoreFromCoordinates() {
        // Truth at (0, 0); predictions due north by these many degrees:
        //   0.005 ->    0.556 km  (score 4998)   < 1
        //   0.2   ->   22.239 km  (score 4926)   < 25
        //   1     ->  111.195 km  (score 4641)   < 200
        //   6     ->  667.170 km  (score 3198)   < 750
        //   20    -> 2223.902 km  (score 1127)   < 2500
        //   30    -> 3335.852 km  (score  535)   beyond all
        double[] degrees = {0.005, 0.2, 1, 6, 20, 30};
        List<LatLon> predicted = new ArrayList<>();
        for (double d : degrees) {
            predicted.add(new LatLon(d, 0));
        }
        Collections.reverse(predicted); // order must not matter for the median
        List<LatLon> truth = Collections.nCopies(degrees.length, new LatLon(0, 0));

        ErrorMetrics.Result r = ErrorMetrics.evaluate(predicted, truth);

        assertEquals(6, r.count());
        assertEquals(1 / 6.0, r.accuracyWithin(1), 1e-12);
        assertEquals(2 / 6.0, r.accuracyWithin(25), 1e-12);
        assertEquals(3 / 6.0, r.accuracyWithin(200), 1e-12);
        assertEquals(4 / 6.0, r.accuracyWithin(750), 1e-12);
        assertEquals(5 / 6.0, r.accuracyWithin(2500), 1e-12);
        // mean = 111.19508 * (0.005 + 0.2 + 1 + 6 + 20 + 30) / 6 = 111.19508 * 57.205 / 6 = 1060.152 km
        assertEquals(KM_PER_DEGREE * 57.205 / 6, r.meanKm(), 1e-9);
        assertEquals(1060.152, r.meanKm(), 1e-3);
        // median = mean of the 3rd and 4th: (111.195 + 667.170) / 2 = 389.183 km
        assertEquals(389.183, r.medianKm(), 1e-3);
        // (4998 + 4926 + 4641 + 3198 + 1127 + 535) / 6 = 3237.5
        assertEquals(3237.5, r.meanGeoGuessrScore(), 1e-9);
        assertEquals(ErrorMetrics.THRESHOLDS_KM.size(), r.accuracies().size());
    }

    @Test
    void accuracyIsStrictlyBelowTheThreshold() {
        ErrorMetrics.Result r = ErrorMetrics.fromDistances(new double[] {25.0, 1.0});
        assertEquals(0.0, r.accuracyWithin(1), "1 km is not < 1 km");
        assertEquals(0.5, r.accuracyWithin(25), "25 km is not < 25 km");
        assertEquals(1.0, r.accuracyWithin(200));
        assertEquals(13.0, r.medianKm(), 1e-12);
    }

    @Test
    void geoGuessrScoreDecaysExponentially() {
        assertEquals(5000, ErrorMetrics.geoGuessrScore(0));
        assertEquals(Math.round(5000 / Math.E), ErrorMetrics.geoGuessrScore(1492.7)); // 1839
        assertEquals(2559, ErrorMetrics.geoGuessrScore(1000)); // 5000 * exp(-0.66993) = 2559.1
        assertEquals(0, ErrorMetrics.geoGuessrScore(20_000)); // antipode-ish: 5000 * exp(-13.4) = 0.008
    }

    @Test
    void tableNamesEveryMetric() {
        // median = mean = (0.5 + 300) / 2 = 150.25, printed with one decimal
        String table = ErrorMetrics.fromDistances(new double[] {0.5, 300}).toTable();
        assertTrue(table.contains("acc < 1 km") && table.contains("50.00%"), table);
        assertTrue(table.contains("acc < 2500 km") && table.contains("100.00%"), table);
        assertTrue(table.contains("median error km") && table.contains("150.3"), table);
        assertTrue(table.contains("GeoGuessr score"), table);
    }

    @Test
    void rejectsEmptyMismatchedAndInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> ErrorMetrics.fromDistances(new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ErrorMetrics.evaluate(List.of(new LatLon(0, 0)), List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ErrorMetrics.fromDistances(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("distance 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ErrorMetrics.fromDistances(new double[] {1}).accuracyWithin(5));
    }
}
