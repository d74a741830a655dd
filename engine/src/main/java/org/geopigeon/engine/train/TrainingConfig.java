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

    /** PIGEON's smoothing (MIN), tau 65 km, AdamW lr 1e-3 wd 0.01, 30 epochs of batch 256, 10% held out, patience 5, seed 42. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}: name only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().smoothing(smoothing).tauKm(tauKm).normaliseTargets(normaliseTargets).learningRate(learningRate)
                .weightDecay(weightDecay).epochs(epochs).batchSize(batchSize).valFraction(valFraction).patience(patience)
                .seed(seed);
    }

    /** A copy with another target shape. */
    public TrainingConfig withSmoothing(SmoothingMode m) {
        return toBuilder().smoothing(m).build();
    }

    /** A copy with another smoothing temperature, in km. */
    public TrainingConfig withTauKm(double t) {
        return toBuilder().tauKm(t).build();
    }

    /** A copy with another AdamW learning rate. */
    public TrainingConfig withLearningRate(double lr) {
        return toBuilder().learningRate(lr).build();
    }

    /** A copy with another maximum number of epochs. */
    public TrainingConfig withEpochs(int e) {
        return toBuilder().epochs(e).build();
    }

    /** A copy with another batch size, in rows. */
    public TrainingConfig withBatchSize(int b) {
        return toBuilder().batchSize(b).build();
    }

    /** A copy with another early-stopping patience, in epochs. */
    public TrainingConfig withPatience(int p) {
        return toBuilder().patience(p).build();
    }

    /** A copy with another seed. */
    public TrainingConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /**
     * Names every setting instead of ten positional values (four of them doubles); {@link #build()} checks them as
     * the record's constructor does. Starts from the defaults.
     */
    public static final class Builder {
        private SmoothingMode smoothing = SmoothingMode.MIN;
        private double tauKm = HaversineLabelSmoother.DEFAULT_TAU_KM;
        private boolean normaliseTargets = false;
        private double learningRate = 1e-3;
        private double weightDecay = 0.01;
        private int epochs = 30;
        private int batchSize = 256;
        private double valFraction = 0.1;
        private int patience = 5;
        private long seed = 42;

        private Builder() {
        }

        /** Target shape: MIN (PIGEON's code, default), TRUE (the paper's equation) or ONE_HOT. */
        public Builder smoothing(SmoothingMode v) {
            smoothing = v;
            return this;
        }

        /** Smoothing temperature in km. */
        public Builder tauKm(double v) {
            tauKm = v;
            return this;
        }

        /** Divide every target vector by its sum (default off, as PIGEON's code). */
        public Builder normaliseTargets(boolean v) {
            normaliseTargets = v;
            return this;
        }

        /** AdamW learning rate, > 0 (default 1e-3 for a linear probe on frozen embeddings). */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** AdamW decoupled weight decay, >= 0 (default 0.01, PIGEON's). */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Maximum passes over the training rows, >= 1 (default 30). */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /** Rows per optimiser step, >= 1 (default 256, PIGEON's). */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Share of rows held out, in [0, 0.5]. */
        public Builder valFraction(double v) {
            valFraction = v;
            return this;
        }

        /** Epochs without a lower validation median error before training stops, >= 1 (default 5). */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** Seed of the split, the shuffles, the initial weights and the engine (default 42). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of range */
        public TrainingConfig build() {
            return new TrainingConfig(smoothing, tauKm, normaliseTargets, learningRate, weightDecay, epochs, batchSize,
                    valFraction, patience, seed);
        }
    }
}
