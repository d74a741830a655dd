/**
 * PIGEON's synthetic-caption contrastive pretraining of the vision tower (Haas et al., CVPR 2024, Sec. 3; CLIP's
 * symmetric InfoNCE loss, Radford et al. 2021 Sec. 2.3): {@link org.geopigeon.engine.pretrain.CaptionPretrainer} trains
 * the last N blocks of the TorchScript vision tower with AdamW through DJL on photo-caption pairs
 * ({@code CaptionedPhotos}), {@link org.geopigeon.engine.pretrain.PretrainedBundleWriter} writes a new CLIP bundle,
 * {@link org.geopigeon.engine.pretrain.PretrainConfig} holds the settings.
 *
 * <p>Its output is a bundle for {@code clip} (zero-shot) or {@code train}; needs a GPU at real scale.
 */
package org.geopigeon.engine.pretrain;
