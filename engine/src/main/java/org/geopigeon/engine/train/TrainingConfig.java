package org.geopigeon.engine.train;

/**
 * Settings of {@link HeadTrainer}.
 *
 * <p>Learning rate default 1e-3: the head is a linear probe on frozen embeddings, for which AdamW at
 * 1e-3 converges in a few epochs. PIGEOTTO's 2e-5 is for fine-tuning the unfrozen backbone, where
 * a large step would wreck the pretrained weights; with a frozen backbone it only slows training.
 *
 * @param smoothing        target shape (PIGEON code: MIN)
 * @param tauKm            smoothing temperature in km (PIGEOTTO 65)
 * @param normaliseTargets divide targets by their sum (off: PIGEON's code)
 * @param learningRate     AdamW step size
 * @param weightDecay      AdamW decoupled weight decay (PIGEON 0.01)
 * @param epochs           maximum passes over the training rows
 * @param batchSize        rows per step
 * @param valFraction      share of rows held out for early stopping, in [0, 0.5]; 0 trains on all rows
 *                         and keeps the last epoch
 * @param patience         stop after this many epochs without a lower validation median error
 * @param seed             seeds the split, the shuffles, the initial weights and the engine
 */
public record TrainingConfig(SmoothingMode smoothing, double tauKm, boolean normaliseTargets, double learningRate,
                             double weightDecay, int epochs, int batchSize, double valFraction, int patience, long seed) {

    public TrainingConfig {
        if (smoothing == null) {
            throw new IllegalArgumentException("smoothing mode is required");
        }
        if (!(tauKm > 0) || Double.isInfinite(tauKm)) {
            throw new IllegalArgumentException("tau must be > 0 km, got " + tauKm);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(valFraction >= 0 && valFraction <= 0.5)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 0.5], got " + valFraction);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 epoch, got " + patience);
        }
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(SmoothingMode.MIN, HaversineLabelSmoother.DEFAULT_TAU_KM, false, 1e-3, 0.01,
                30, 256, 0.1, 5, 42);
    }

    public TrainingConfig withSmoothing(SmoothingMode m) {
        return new TrainingConfig(m, tauKm, normaliseTargets, learningRate, weightDecay, epochs, batchSize, valFraction, patience, seed);
    }

    public TrainingConfig withTauKm(double t) {
        return new TrainingConfig(smoothing, t, normaliseTargets, learningRate, weightDecay, epochs, batchSize, valFraction, patience, seed);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(smoothing, tauKm, normaliseTargets, lr, weightDecay, epochs, batchSize, valFraction, patience, seed);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(smoothing, tauKm, normaliseTargets, learningRate, weightDecay, e, batchSize, valFraction, patience, seed);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(smoothing, tauKm, normaliseTargets, learningRate, weightDecay, epochs, b, valFraction, patience, seed);
    }

    public TrainingConfig withPatience(int p) {
        return new TrainingConfig(smoothing, tauKm, normaliseTargets, learningRate, weightDecay, epochs, batchSize, valFraction, p, seed);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(smoothing, tauKm, normaliseTargets, learningRate, weightDecay, epochs, batchSize, valFraction, patience, s);
    }
}
