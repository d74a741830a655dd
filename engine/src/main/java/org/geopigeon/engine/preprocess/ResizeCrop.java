package org.geopigeon.engine.preprocess;

/**
 * Geometry of Hugging Face's "resize shortest edge to S, then centre-crop S x S".
 *
 * @param resizedWidth  width after resizing
 * @param resizedHeight height after resizing
 * @param cropLeft      first column of the crop in the resized image
 * @param cropTop       first row of the crop in the resized image
 * @param size          S
 */
public record ResizeCrop(int resizedWidth, int resizedHeight, int cropLeft, int cropTop, int size) {

    /**
     * transformers {@code get_resize_output_image_size(default_to_square=False)}: the short side becomes S and
     * the long side {@code int(S * long / short)} (truncated, computed in double); then {@code center_crop}
     * with {@code top = (h - S) // 2}, {@code left = (w - S) // 2}.
     */
    public static ResizeCrop of(int width, int height, int size) {
        if (width <= 0 || height <= 0 || size <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height + ", S=" + size);
        }
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        int newLong = (int) ((double) size * longSide / shortSide);
        int resizedWidth = width <= height ? size : newLong;
        int resizedHeight = width <= height ? newLong : size;
        return new ResizeCrop(resizedWidth, resizedHeight, (resizedWidth - size) / 2, (resizedHeight - size) / 2, size);
    }
}
