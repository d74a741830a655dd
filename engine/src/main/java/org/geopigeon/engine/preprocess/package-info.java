/**
 * CLIP preprocessing with bit-for-bit parity to Hugging Face's {@code CLIPImageProcessor} on its Pillow path:
 * resize the shortest edge to S with Pillow's antialiased bicubic filter ({@code PilBicubicResampler}, a port of
 * libImaging/Resample.c), centre-crop S x S ({@code ResizeCrop}), scale by 1/255, normalise with the CLIP mean and
 * standard deviation ({@link org.geopigeon.engine.preprocess.PreprocessConfig}). Output: float [3, S, S] in channel,
 * row, column order, S = 336 for ViT-L/14@336 (PIGEON's backbone) or 224.
 *
 * <p>Sits between {@code image} (decoded RGB pixels in) and {@code model} (normalised tensors out). Parity is tested
 * against golden vectors from {@code tools/make_preprocess_golden.py}.
 */
package org.geopigeon.engine.preprocess;
