package org.geopigeon.engine.eval;

import java.util.List;
import java.util.Objects;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;

/**
 * Scores predictions against ground truth. The true cell of a photo is the cell covering its
 * location, else the nearest centroid (the labelling rule used in training); the true country is
 * that cell's country. Thread-safe.
 */
public final class Evaluator {

    /** One scored prediction: the point and the ranked cells (most probable first; may be empty). */
    public record Scored(LatLon predicted, int[] rankedCells, boolean refined) {
    }

    private final GeocellSet cells;
    private final GeocellIndex index;

    public Evaluator(GeocellSet cells) {
        this.cells = Objects.requireNonNull(cells, "cells");
        this.index = new GeocellIndex(cells);
    }

    /** Great-circle error of each prediction in km. */
    public static double[] errorsKm(List<Scored> predictions, List<LatLon> truth) {
        check(predictions, truth);
        double[] km = new double[truth.size()];
        for (int i = 0; i < km.length; i++) {
            km[i] = Haversine.km(predictions.get(i).predicted(), truth.get(i));
        }
        return km;
    }

    /**
     * @param refinementOn whether refinement was asked for (the refined share is NaN otherwise)
     */
    public EvaluationReport evaluate(String label, List<Scored> predictions, List<LatLon> truth, boolean refinementOn) {
        double[] km = errorsKm(predictions, truth);
        int n = truth.size();
        int top1 = 0;
        int top5 = 0;
        int ranked = 0;
        int country = 0;
        int countryKnown = 0;
        int refined = 0;
        for (int i = 0; i < n; i++) {
            Scored s = predictions.get(i);
            if (s.refined()) {
                refined++;
            }
            int[] r = s.rankedCells();
            if (r == null || r.length == 0) {
                continue;
            }
            ranked++;
            int trueCell = index.locate(truth.get(i));
            if (r[0] == trueCell) {
                top1++;
            }
            for (int k = 0; k < Math.min(5, r.length); k++) {
                if (r[k] == trueCell) {
                    top5++;
                    break;
                }
            }
            String want = cells.get(trueCell).country();
            if (!want.isEmpty()) {
                countryKnown++;
                if (want.equals(cells.get(r[0]).country())) {
                    country++;
                }
            }
        }
        return new EvaluationReport(label, ErrorMetrics.fromDistances(km),
                ranked == n ? (double) top1 / n : Double.NaN,
                ranked == n ? (double) top5 / n : Double.NaN,
                ranked == n && countryKnown > 0 ? (double) country / countryKnown : Double.NaN,
                refinementOn ? (double) refined / n : Double.NaN);
    }

    private static void check(List<Scored> predictions, List<LatLon> truth) {
        if (predictions.size() != truth.size()) {
            throw new IllegalArgumentException("got " + predictions.size() + " predictions but " + truth.size() + " ground truths");
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate: no ground-truth rows");
        }
    }
}
