package org.geopigeon.engine.train;

/** The phases of a training run ({@link TrainingPipeline}), in order, for its {@link TrainingListener}. */
public enum TrainingPhase {
    /** Photos decoded and embedded by the base bundle's backbone (or a gallery read; notes per skipped photo). */
    EMBED,
    /** Every embedding labelled with its geocell ({@link GeocellLabels}). */
    LABEL,
    /** The zero-shot starting head from geocell captions ({@code --init zeroshot} only). */
    START_HEAD,
    /** Head training, progress in epochs ({@link HeadTrainer}; each epoch also through {@link TrainingListener#epochFinished}). */
    TRAIN,
    /** The refinement index: OPTICS clusters of each cell's embeddings ({@link RefinementIndexBuilder}). */
    REFINEMENT,
    /** The new bundle written and moved into place ({@link TrainedBundleWriter}). */
    WRITE
}
