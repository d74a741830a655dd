package org.geopigeon.engine.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one evaluation run reports: the distance metrics plus geocell and country accuracy.
 * Geocell/country figures are NaN where they cannot be computed (e.g. no cell ranking in oracle mode,
 * cells without country codes).
 *
 * @param label            what was evaluated (model name, "oracle", ...)
 * @param metrics          acc@1/25/200/750/2500 km, mean/median km, GeoGuessr score
 * @param geocellTop1      share whose true cell (covering the truth point, else nearest centroid) is ranked first
 * @param geocellTop5      share whose true cell is among the five most probable
 * @param countryAccuracy  share whose top-1 cell's country equals the country of the true cell
 * @param refinedShare     share of predictions moved by retrieval refinement (NaN when refinement was off)
 */
public record EvaluationReport(String label, ErrorMetrics.Result metrics, double geocellTop1, double geocellTop5,
                               double countryAccuracy, double refinedShare) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The JSON document of {@code geopigeon evaluate --json}, bound by Jackson in this field order. Figures that
     * cannot be computed are null.
     *
     * @param accuracy share within each threshold, keyed "1km", "25km", ... ({@link ErrorMetrics#THRESHOLDS_KM})
     */
    public record Json(String label, int count, Map<String, Double> accuracy, double meanKm, double medianKm,
                       double geoguessrScore, Double geocellTop1, Double geocellTop5, Double countryAccuracy,
                       Double refinedShare) {
    }

    /** This report as its JSON document. */
    public Json toJson() {
        Map<String, Double> acc = new LinkedHashMap<>();
        for (ErrorMetrics.Accuracy a : metrics.accuracies()) {
            acc.put(ErrorMetrics.formatKm(a.thresholdKm()) + "km", a.fraction());
        }
        return new Json(label, metrics.count(), acc, metrics.meanKm(), metrics.medianKm(), metrics.meanGeoGuessrScore(),
                orNull(geocellTop1), orNull(geocellTop5), orNull(countryAccuracy), orNull(refinedShare));
    }

    /** {@link #toJson()} written as indented JSON. */
    public String toJsonString() {
        try {
            return MAPPER.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the evaluation report as JSON", e);
        }
    }

    /** Fixed-width table for terminals: the metric table plus the geocell and country lines. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(label).append('\n');
        sb.append(metrics.toTable());
        row(sb, "geocell top-1", geocellTop1);
        row(sb, "geocell top-5", geocellTop5);
        row(sb, "country accuracy", countryAccuracy);
        row(sb, "refined", refinedShare);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double v) {
        if (!Double.isNaN(v)) {
            sb.append(String.format(Locale.ROOT, "%-22s %9.2f%%%n", name, 100 * v));
        }
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
