package org.geopigeon.engine.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;

/**
 * Standard geolocation error metrics (IM2GPS/YFCC/PIGEON convention): accuracy within
 * 1/25/200/750/2500 km (strict {@code d < r}), mean and median great-circle error, and the mean
 * GeoGuessr score round(5000 * exp(-d / 1492.7)). Distances use {@link Haversine} (R = 6371.0088 km).
 */
public final class ErrorMetrics {

    /** Street, city, region, country, continent. */
    public static final List<Double> THRESHOLDS_KM = List.of(1.0, 25.0, 200.0, 750.0, 2500.0);

    /** Scale of the GeoGuessr score's exponential decay in km (world map). */
    public static final double GEOGUESSR_SCALE_KM = 1492.7;

    private ErrorMetrics() {
    }

    /** Accuracy within one threshold: share of predictions with error strictly below {@code thresholdKm}. */
    public record Accuracy(double thresholdKm, double fraction) {
    }

    /**
     * @param count             number of evaluated predictions
     * @param accuracies        one per entry of {@link #THRESHOLDS_KM}, same order
     * @param meanKm            mean error
     * @param medianKm          median error (mean of the two middle values for an even count)
     * @param meanGeoGuessrScore mean of the per-prediction rounded scores (0..5000)
     */
    public record Result(int count, List<Accuracy> accuracies, double meanKm, double medianKm, double meanGeoGuessrScore) {

        public Result {
            accuracies = List.copyOf(accuracies);
        }

        /** Fraction within {@code thresholdKm}, which must be one of {@link #THRESHOLDS_KM}. */
        public double accuracyWithin(double thresholdKm) {
            for (Accuracy a : accuracies) {
                if (a.thresholdKm() == thresholdKm) {
                    return a.fraction();
                }
            }
            throw new IllegalArgumentException("no accuracy computed for " + thresholdKm + " km; thresholds are " + THRESHOLDS_KM);
        }

        /** A small fixed-width table for terminals. */
        public String toTable() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-22s %10d%n", "images", count));
            for (Accuracy a : accuracies) {
                sb.append(String.format(Locale.ROOT, "%-22s %9.2f%%%n",
                        "acc < " + formatKm(a.thresholdKm()) + " km", 100 * a.fraction()));
            }
            sb.append(String.format(Locale.ROOT, "%-22s %10.1f%n", "mean error km", meanKm));
            sb.append(String.format(Locale.ROOT, "%-22s %10.1f%n", "median error km", medianKm));
            sb.append(String.format(Locale.ROOT, "%-22s %10.1f%n", "GeoGuessr score", meanGeoGuessrScore));
            return sb.toString();
        }
    }

    /** A threshold in km as tables, JSON keys and plots name it: "25" for 25.0, "0.5" for 0.5. */
    public static String formatKm(double km) {
        return km == Math.rint(km) ? String.valueOf((long) km) : String.valueOf(km);
    }

    /** GeoGuessr points for one guess {@code km} away: round(5000 * exp(-km / 1492.7)). */
    public static long geoGuessrScore(double km) {
        return Math.round(5000 * Math.exp(-km / GEOGUESSR_SCALE_KM));
    }

    /** Metrics for paired predictions and ground truths (same order, same size, at least one). */
    public static Result evaluate(List<LatLon> predicted, List<LatLon> truth) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("got " + predicted.size() + " predictions but " + truth.size() + " ground truths");
        }
        double[] km = new double[predicted.size()];
        for (int i = 0; i < km.length; i++) {
            km[i] = Haversine.km(predicted.get(i), truth.get(i));
        }
        return fromDistances(km);
    }

    /** Metrics from precomputed great-circle errors in km. */
    public static Result fromDistances(double[] km) {
        if (km.length == 0) {
            throw new IllegalArgumentException("cannot compute error metrics of zero predictions");
        }
        double sum = 0;
        double scoreSum = 0;
        for (int i = 0; i < km.length; i++) {
            if (!(km[i] >= 0) || Double.isInfinite(km[i])) {
                throw new IllegalArgumentException("distance " + i + " is not a finite non-negative number: " + km[i]);
            }
            sum += km[i];
            scoreSum += geoGuessrScore(km[i]);
        }
        List<Accuracy> acc = new ArrayList<>(THRESHOLDS_KM.size());
        for (double r : THRESHOLDS_KM) {
            int within = 0;
            for (double d : km) {
                if (d < r) {
                    within++;
                }
            }
            acc.add(new Accuracy(r, (double) within / km.length));
        }
        double[] sorted = km.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Result(n, acc, sum / n, median, scoreSum / n);
    }
}
