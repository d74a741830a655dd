/**
 * Training a geocell head and its refinement index on frozen embeddings (PIGEON fine-tuning: the encoder frozen,
 * Linear(D, C) trained with AdamW). {@link org.geopigeon.engine.train.TrainingPipeline} is the one pipeline
 * (embed photos into a {@link org.geopigeon.engine.train.Gallery} with {@code GalleryBuilder}, label with
 * {@code GeocellLabels}, train with {@link org.geopigeon.engine.train.HeadTrainer}, build the
 * {@link org.geopigeon.engine.train.RefinementIndexBuilder refinement index}, write with
 * {@link org.geopigeon.engine.train.TrainedBundleWriter}); {@code geopigeon train} and the synthetic experiment
 * call it, and the Spark gallery job runs its embedding step ({@code GalleryBuilder}'s rules) on a cluster.
 *
 * <p>The loss is cross-entropy against haversine-smoothed targets ({@link org.geopigeon.engine.train.HaversineLabelSmoother},
 * Haas et al., CVPR 2024, Sec. 3.3: y_i = exp(-(Hav(g_i, x) - Hav(g_true, x)) / tau), tau in km, 65 for PIGEOTTO and 75
 * for PIGEON). Settings: {@link org.geopigeon.engine.train.TrainingConfig}; progress:
 * {@link org.geopigeon.engine.train.TrainingListener} with {@code TrainingPhase}. Also {@code ZeroShotBundleWriter}, the
 * zero-shot pipeline of {@code clip}. Depends on {@code model}, {@code geocell}, {@code refine}, {@code cluster},
 * {@code bundle}, {@code io}, {@code image}.
 */
package org.geopigeon.engine.train;
