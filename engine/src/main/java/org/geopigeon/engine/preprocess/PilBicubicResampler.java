package org.geopigeon.engine.preprocess;

/**
 * Bit-exact port of Pillow's {@code Image.resize(size, Image.BICUBIC)} for 8-bit RGB (libImaging/Resample.c).
 *
 * <p>Separable convolution with the bicubic kernel (a = -0.5) whose support widens by the downscale factor
 * (antialiasing); coefficients normalised in double, then turned into 22-bit fixed point; each pass adds
 * {@code 1 << 21} for rounding and clips to 0..255, horizontal pass first, then vertical. A pass is skipped
 * when its dimension does not change, as in Pillow.
 *
 * <p>It computes only a window of the output: every output pixel depends only on its own coefficients, so the
 * window equals the same crop of Pillow's full result while sparing the columns and rows a centre crop drops.
 * Stateless and thread-safe.
 */
public final class PilBicubicResampler {

    /** Pillow: 32 bits minus 8 for the pixel value minus 2 for the kernel's overshoot. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilBicubicResampler() {
    }

    /**
     * Resizes packed 0xRRGGBB pixels from {@code srcW x srcH} to {@code outW x outH} and returns the window
     * {@code [x0, x0+winW) x [y0, y0+winH)} of the result as packed pixels, row-major.
     */
    public static int[] resize(int[] src, int srcW, int srcH, int outW, int outH,
                               int x0, int y0, int winW, int winH) {
        if (src.length != srcW * srcH) {
            throw new IllegalArgumentException("source has " + src.length + " pixels, expected " + srcW + "x" + srcH);
        }
        if (outW <= 0 || outH <= 0 || x0 < 0 || y0 < 0 || winW <= 0 || winH <= 0
                || x0 + winW > outW || y0 + winH > outH) {
            throw new IllegalArgumentException("window " + winW + "x" + winH + "+" + x0 + "+" + y0
                    + " is not inside the output " + outW + "x" + outH);
        }
        boolean horizontal = outW != srcW;
        boolean vertical = outH != srcH;
        Coefficients vert = vertical ? Coefficients.compute(srcH, outH, y0, winH) : null;
        // Source rows the vertical pass reads (Pillow's ybox_first / ybox_last).
        int firstRow = vertical ? vert.start[0] : y0;
        int endRow = vertical ? vert.start[winH - 1] + vert.count[winH - 1] : y0 + winH;
        int rows = endRow - firstRow;

        int[] temp = new int[winW * rows];
        if (horizontal) {
            Coefficients horiz = Coefficients.compute(srcW, outW, x0, winW);
            horizontalPass(src, srcW, firstRow, rows, horiz, winW, temp);
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, (firstRow + r) * srcW + x0, temp, r * winW, winW);
            }
        }
        if (!vertical) {
            return temp;
        }
        int[] out = new int[winW * winH];
        verticalPass(temp, winW, firstRow, vert, winH, out);
        return out;
    }

    private static void horizontalPass(int[] src, int srcW, int firstRow, int rows, Coefficients c, int winW,
                                       int[] out) {
        int ksize = c.ksize;
        int[] k = c.weights;
        final int half = 1 << (PRECISION_BITS - 1);
        for (int r = 0; r < rows; r++) {
            int rowBase = (firstRow + r) * srcW;
            int outBase = r * winW;
            for (int xx = 0; xx < winW; xx++) {
                int start = rowBase + c.start[xx];
                int n = c.count[xx];
                int kBase = xx * ksize;
                int s0 = half;
                int s1 = half;
                int s2 = half;
                for (int i = 0; i < n; i++) {
                    int p = src[start + i];
                    int w = k[kBase + i];
                    s0 += (p >>> 16 & 0xFF) * w;
                    s1 += (p >>> 8 & 0xFF) * w;
                    s2 += (p & 0xFF) * w;
                }
                out[outBase + xx] = clip8(s0) << 16 | clip8(s1) << 8 | clip8(s2);
            }
        }
    }

    private static void verticalPass(int[] temp, int width, int firstRow, Coefficients c, int winH, int[] out) {
        int ksize = c.ksize;
        int[] k = c.weights;
        final int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < winH; yy++) {
            int startRow = c.start[yy] - firstRow;
            int n = c.count[yy];
            int kBase = yy * ksize;
            int outBase = yy * width;
            for (int x = 0; x < width; x++) {
                int s0 = half;
                int s1 = half;
                int s2 = half;
                int idx = startRow * width + x;
                for (int i = 0; i < n; i++) {
                    int p = temp[idx];
                    int w = k[kBase + i];
                    s0 += (p >>> 16 & 0xFF) * w;
                    s1 += (p >>> 8 & 0xFF) * w;
                    s2 += (p & 0xFF) * w;
                    idx += width;
                }
                out[outBase + x] = clip8(s0) << 16 | clip8(s1) << 8 | clip8(s2);
            }
        }
    }

    /** Pillow's clip8: the accumulated fixed-point sum back to 0..255. */
    private static int clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for output indices [first, first+n). */
    static final class Coefficients {
        final int ksize;
        final int[] start;
        final int[] count;
        final int[] weights;

        private Coefficients(int ksize, int[] start, int[] count, int[] weights) {
            this.ksize = ksize;
            this.start = start;
            this.count = count;
            this.weights = weights;
        }

        static Coefficients compute(int inSize, int outSize, int first, int n) {
            // Pillow passes the box as floats (0, inSize); their difference is exact for any real image size.
            double scale = (double) ((float) inSize - 0f) / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[n];
            int[] count = new int[n];
            int[] weights = new int[n * ksize];
            double[] k = new double[ksize];
            double ss = 1.0 / filterscale;
            for (int j = 0; j < n; j++) {
                int xx = first + j;
                double center = 0.0 + (xx + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubic((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double w = ww != 0.0 ? k[x] / ww : k[x];
                    weights[j * ksize + x] = w < 0
                            ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                start[j] = xmin;
                count[j] = xmax;
            }
            return new Coefficients(ksize, start, count, weights);
        }
    }
}
