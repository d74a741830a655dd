package org.geopigeon.engine.train;

import java.util.Locale;

/**
 * One epoch of head training. Validation figures are NaN when no rows were held out.
 *
 * @param epoch        1-based
 * @param trainLoss    mean smoothed cross-entropy over the epoch's training rows
 * @param valMedianKm  median error of the top-1 cell centroid on the validation rows
 * @param valAcc25     share of validation rows with error < 25 km
 * @param valAcc200    ... < 200 km
 * @param valAcc750    ... < 750 km
 * @param seconds      wall time of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double valMedianKm, double valAcc25, double valAcc200,
                         double valAcc750, double seconds) {

    /**
     * One log line, e.g. "epoch   3/30  loss 4.1234  val median 812.3 km  acc@25 1.2%  acc@200 9.8%  acc@750 31.0%
     * (2.1 s)"; without the validation figures when no rows were held out.
     */
    public String describe(int maxEpochs) {
        if (Double.isNaN(valMedianKm)) {
            return String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  (%.1f s)", epoch, maxEpochs, trainLoss, seconds);
        }
        return String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  val median %.1f km  acc@25 %.1f%%  acc@200 %.1f%%"
                        + "  acc@750 %.1f%%  (%.1f s)", epoch, maxEpochs, trainLoss, valMedianKm, 100 * valAcc25,
                100 * valAcc200, 100 * valAcc750, seconds);
    }
}
