/**
 * CLIP's text side and zero-shot geolocation (Radford et al. 2021): {@link org.geopigeon.engine.clip.ClipModel} (a
 * bundle's CLIP parts: tokenizer, text tower, logit scale), {@link org.geopigeon.engine.clip.ClipTokenizer} (Hugging Face
 * byte-level BPE through DJL's tokenizers, 77 tokens), {@link org.geopigeon.engine.clip.ClipTextEncoder} (TorchScript
 * text tower: int64 ids [N, 77] -> float [N, P], P the projection width) and {@link org.geopigeon.engine.clip.ZeroShotHead} (one head row per
 * geocell from its captions, CLIP's prompt ensembling, Radford et al. 2021 Sec. 3.1.4).
 *
 * <p>Input to {@code train.ZeroShotBundleWriter} and {@code pretrain}; captions come from {@code captions}.
 */
package org.geopigeon.engine.clip;
