package org.geopigeon.engine.pretrain;

/**
 * Settings of caption contrastive pretraining.
 *
 * @param epochs          passes over the photos
 * @param batchSize       photo-caption pairs per step; each photo's caption is the positive, the other captions
 *                        of the batch the negatives (CLIP, Radford et al. 2021, §2.3)
 * @param learningRate    AdamW learning rate (CLIP fine-tuning uses about 1e-5)
 * @param weightDecay     AdamW decoupled weight decay
 * @param trainableBlocks how many of the vision tower's last transformer blocks are updated, together with its
 *                        post-LayerNorm and visual projection; -1 updates every parameter
 * @param seed            caption choice per photo and epoch, photo order
 */
public record PretrainConfig(int epochs, int batchSize, double learningRate, double weightDecay, int trainableBlocks,
                             long seed) {

    public PretrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be >= 2 (a contrastive batch needs negatives), got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (trainableBlocks < -1) {
            throw new IllegalArgumentException("trainable blocks must be -1 (all) or >= 0, got " + trainableBlocks);
        }
    }

    /** 3 epochs, batch 32, lr 1e-5, weight decay 0.1, last 2 blocks, seed 42. */
    public static PretrainConfig defaults() {
        return new PretrainConfig(3, 32, 1e-5, 0.1, 2, 42);
    }
}
