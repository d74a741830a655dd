package org.geopigeon.engine.train;

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
}
