package org.geopigeon.engine.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ClipPreprocessorTest {

    private static BufferedImage noise(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    @Test
    void clipDefaultsCarryOpenAiConstants() {
        PreprocessConfig config = PreprocessConfig.clipDefaults(336);
        assertEquals(336, config.size());
        assertArrayEquals(new float[] {0.48145466f, 0.4578275f, 0.40821073f}, config.mean());
        assertArrayEquals(new float[] {0.26862954f, 0.26130258f, 0.27577711f}, config.std());
    }

    @Test
    void configIsImmutable() {
        float[] mean = {0.5f, 0.5f, 0.5f};
        PreprocessConfig config = new PreprocessConfig(224, mean, new float[] {0.5f, 0.5f, 0.5f});
        mean[0] = 9f;
        config.mean()[1] = 9f;
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, config.mean());
        assertEquals(config, new PreprocessConfig(224, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}));
    }

    @Test
    void configRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(0, PreprocessConfig.clipMean(), PreprocessConfig.clipStd()));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, new float[2], PreprocessConfig.clipStd()));
        assertThrows(IllegalArgumentException.class, () -> new PreprocessConfig(224, PreprocessConfig.clipMean(), new float[] {1, 0, 1}));
    }

    @Test
    void normalisationIsRescaleThenMeanStdInFloat32() {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(224));
        BufferedImage image = noise(300, 250, 3);
        byte[] raw = pre.toChwUint8(image);
        float[] unit = pre.toChwUnnormalised(image);
        float[] normalised = pre.toChw(image);
        int plane = 224 * 224;
        assertEquals(3 * plane, normalised.length);
        for (int i = 0; i < raw.length; i++) {
            int c = i / plane;
            int value = raw[i] & 0xFF;
            // numpy: (uint8 as float64 * (1/255)) -> float32, then float32 (x - mean) / std
            float rescaled = (float) (value * (1.0 / 255.0));
            assertEquals(rescaled, unit[i]);
            float expected = (rescaled - PreprocessConfig.clipMean()[c]) / PreprocessConfig.clipStd()[c];
            assertEquals(expected, normalised[i]);
            assertEquals((value / 255.0 - PreprocessConfig.clipMean()[c]) / PreprocessConfig.clipStd()[c], normalised[i], 1e-5);
        }
    }

    @Test
    void blackAndWhiteMapToTheEndsOfTheNormalisedRange() {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(224));
        BufferedImage white = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        white.getGraphics().fillRect(0, 0, 400, 300);
        float[] black = pre.toChw(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB));
        float[] whiteChw = pre.toChw(white);
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            assertEquals(-PreprocessConfig.clipMean()[c] / PreprocessConfig.clipStd()[c], black[c * plane + 100], 1e-6);
            assertEquals((1 - PreprocessConfig.clipMean()[c]) / PreprocessConfig.clipStd()[c], whiteChw[c * plane + 100], 1e-6);
        }
    }

    @Test
    void channelOrderIsRgbPlanes() {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(32));
        BufferedImage red = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics g = red.getGraphics();
        g.setColor(new java.awt.Color(255, 0, 0));
        g.fillRect(0, 0, 64, 64);
        byte[] raw = pre.toChwUint8(red);
        assertEquals(255, raw[0] & 0xFF);
        assertEquals(0, raw[32 * 32] & 0xFF);
        assertEquals(0, raw[2 * 32 * 32] & 0xFF);
    }

    @Test
    void batchIsTheImagesOneAfterAnother() {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(64));
        BufferedImage a = noise(100, 80, 4);
        BufferedImage b = noise(70, 120, 5);
        float[] batch = pre.batch(List.of(a, b));
        int n = pre.imageLength();
        assertEquals(2 * n, batch.length);
        assertArrayEquals(pre.toChw(a), java.util.Arrays.copyOfRange(batch, 0, n));
        assertArrayEquals(pre.toChw(b), java.util.Arrays.copyOfRange(batch, n, 2 * n));
    }

    @Test
    void acceptsAnyBufferedImageTypeAndSubImages() {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(48));
        BufferedImage rgb = noise(120, 90, 6);
        BufferedImage bgr = new BufferedImage(120, 90, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(rgb, 0, 0, null);
        assertArrayEquals(pre.toChwUint8(rgb), pre.toChwUint8(bgr));

        BufferedImage sub = rgb.getSubimage(10, 5, 100, 80);
        BufferedImage copy = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(sub, 0, 0, null);
        assertNotSame(sub, copy);
        assertArrayEquals(pre.toChwUint8(copy), pre.toChwUint8(sub));
    }
}
