package org.geopigeon.engine.image;

import java.awt.image.Raster;

/**
 * Four-component JPEG samples to RGB exactly as Pillow gives them, ignoring any ICC profile.
 *
 * <p>Pillow opens every 4-component JPEG as CMYK with raw mode {@code CMYK;I} (JpegImagePlugin: "assume adobe
 * conventions", i.e. Photoshop's inverted polarity) after libjpeg has turned YCCK into CMYK, then
 * {@code convert("RGB")} applies its plain formula (libImaging/Convert.c {@code cmyk2rgb}):
 * {@code nk = 255 - K; R = clip(nk - muldiv255(C, nk))}, with {@code muldiv255(a, b) = (t + (t >> 8)) >> 8},
 * {@code t = a * b + 128}. In stored (inverted) samples {@code s = 255 - value} this is
 * {@code R = clip(sK - muldiv255(255 - sC, sK))}.
 *
 * <p>YCCK (Adobe transform 2) is first converted as libjpeg's {@code ycck_cmyk_convert} does (jdcolor.c: the
 * YCbCr->RGB tables with 16-bit fixed-point constants 1.40200, 1.77200, 0.71414, 0.34414, then
 * {@code 255 - value}; K passes through).
 */
final class JpegCmyk {

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    // libjpeg's YCC->RGB tables: private, filled once by the static initializer below and never written again.
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegCmyk() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALEBITS) + 0.5);
    }

    /**
     * @param raw  the decoder's unconverted raster: 4 bands of 8-bit samples as stored in the file
     * @param ycck true when the file is YCCK (Adobe APP14 transform 2)
     * @return packed 0xRRGGBB pixels, row-major
     */
    static int[] toRgb(Raster raw, boolean ycck) {
        int width = raw.getWidth();
        int height = raw.getHeight();
        int[] out = new int[width * height];
        int[] row = new int[width * 4];
        for (int y = 0; y < height; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, width, 1, row);
            int base = y * width;
            for (int x = 0; x < width; x++) {
                int i = 4 * x;
                int c = row[i] & 0xFF;
                int m = row[i + 1] & 0xFF;
                int ye = row[i + 2] & 0xFF;
                int k = row[i + 3] & 0xFF;
                if (ycck) {
                    int luma = c;
                    int cb = m;
                    int cr = ye;
                    c = clip(255 - (luma + CR_R[cr]));
                    m = clip(255 - (luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)));
                    ye = clip(255 - (luma + CB_B[cb]));
                }
                out[base + x] = channel(c, k) << 16 | channel(m, k) << 8 | channel(ye, k);
            }
        }
        return out;
    }

    /** One RGB channel from stored (inverted) ink {@code s} and stored black {@code sk}. */
    private static int channel(int s, int sk) {
        int t = (255 - s) * sk + 128;
        return clip(sk - ((t + (t >> 8)) >> 8));
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
