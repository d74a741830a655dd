package org.geopigeon.engine.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PilBicubicResamplerTest {

    private static int[] randomPixels(int n, long seed) {
        Random random = new Random(seed);
        int[] pixels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = random.nextInt(1 << 24);
        }
        return pixels;
    }

    @Test
    void kernelIsKeysCubicWithAMinusHalf() {
        assertEquals(1.0, PilBicubicResampler.bicubic(0.0));
        assertEquals(0.0, PilBicubicResampler.bicubic(1.0), 0.0);
        assertEquals(0.0, PilBicubicResampler.bicubic(2.0), 0.0);
        assertEquals(0.5625, PilBicubicResampler.bicubic(0.5), 1e-15);
        assertEquals(-0.0625, PilBicubicResampler.bicubic(-1.5), 1e-15);
    }

    @Test
    void coefficientsOfEachOutputSumToOneInFixedPoint() {
        PilBicubicResampler.Coefficients c = PilBicubicResampler.Coefficients.compute(4000, 336, 0, 336);
        for (int j = 0; j < 336; j++) {
            long sum = 0;
            for (int i = 0; i < c.count[j]; i++) {
                sum += c.weights[j * c.ksize + i];
            }
            // each weight is rounded separately, so the sum may miss 2^22 by a few units
            assertEquals(1 << 22, sum, c.count[j]);
        }
    }

    @Test
    void aFlatImageStaysFlatAtAnyScale() {
        int[] flat = new int[123 * 77];
        java.util.Arrays.fill(flat, 0x3C80C8);
        for (int[] size : new int[][] {{40, 20}, {300, 200}, {123, 30}, {61, 77}}) {
            int[] out = PilBicubicResampler.resize(flat, 123, 77, size[0], size[1], 0, 0, size[0], size[1]);
            for (int p : out) {
                assertEquals(0x3C80C8, p);
            }
        }
    }

    @Test
    void sameSizeIsACopy() {
        int[] pixels = randomPixels(50 * 40, 1);
        assertArrayEquals(pixels, PilBicubicResampler.resize(pixels, 50, 40, 50, 40, 0, 0, 50, 40));
    }

    @Test
    void aWindowEqualsTheSameCropOfTheFullResize() {
        int[] pixels = randomPixels(317 * 211, 2);
        int outW = 150;
        int outH = 100;
        int[] full = PilBicubicResampler.resize(pixels, 317, 211, outW, outH, 0, 0, outW, outH);
        int[] window = PilBicubicResampler.resize(pixels, 317, 211, outW, outH, 23, 11, 64, 70);
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(full[(y + 11) * outW + x + 23], window[y * 64 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void rejectsAWindowOutsideTheOutput() {
        int[] pixels = new int[10 * 10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PilBicubicResampler.resize(pixels, 10, 10, 5, 5, 2, 0, 4, 5));
        assertEquals(true, e.getMessage().contains("not inside"));
    }
}
