package org.geopigeon.engine.image;

import java.awt.image.BufferedImage;

/**
 * Applies an EXIF orientation (1..8) so the pixels are upright, as PIL's {@code ImageOps.exif_transpose} does.
 * Works on packed int pixels: one pass, no per-pixel objects.
 */
public final class ExifOrientation {

    private ExifOrientation() {
    }

    /**
     * @param rgb         a TYPE_INT_RGB image as stored in the file
     * @param orientation EXIF value; 1 and unknown values return {@code rgb} unchanged
     */
    public static BufferedImage apply(BufferedImage rgb, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return rgb;
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] in = RgbConverter.packedRgb(rgb);
        boolean swaps = orientation >= 5; // 5..8 exchange width and height
        int outW = swaps ? h : w;
        int outH = swaps ? w : h;
        // Every orientation maps output (x, y) to source index origin + x * stepX + y * stepY.
        int origin;
        int stepX;
        int stepY;
        switch (orientation) {
            case 2 -> { origin = w - 1; stepX = -1; stepY = w; }                  // mirror left-right
            case 3 -> { origin = h * w - 1; stepX = -1; stepY = -w; }             // rotate 180
            case 4 -> { origin = (h - 1) * w; stepX = 1; stepY = -w; }            // mirror top-bottom
            case 5 -> { origin = 0; stepX = w; stepY = 1; }                       // transpose
            case 6 -> { origin = (h - 1) * w; stepX = -w; stepY = 1; }            // rotate 90 clockwise
            case 7 -> { origin = h * w - 1; stepX = -w; stepY = -1; }             // transverse
            default -> { origin = w - 1; stepX = w; stepY = -1; }                 // 8: rotate 90 counter-clockwise
        }
        int[] out = new int[w * h];
        // Tiles keep both the reads and the writes of a quarter turn inside the CPU cache.
        final int tile = 64;
        for (int ty = 0; ty < outH; ty += tile) {
            int yEnd = Math.min(ty + tile, outH);
            for (int tx = 0; tx < outW; tx += tile) {
                int xEnd = Math.min(tx + tile, outW);
                for (int y = ty; y < yEnd; y++) {
                    int src = origin + tx * stepX + y * stepY;
                    int dst = y * outW + tx;
                    for (int x = tx; x < xEnd; x++) {
                        out[dst++] = in[src];
                        src += stepX;
                    }
                }
            }
        }
        return RgbConverter.wrap(out, outW, outH);
    }
}
