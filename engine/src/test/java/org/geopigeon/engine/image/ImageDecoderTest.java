package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding of good inputs: formats by content, EXIF orientation, colour conversions. Samples come from tools/make_preprocess_golden.py. */
class ImageDecoderTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    private final ImageDecoder decoder = new ImageDecoder();

    private static byte[] resource(String name) throws IOException {
        return ImageDecoderRejectionTest.resource(name);
    }

    /** Colour at the centre of each quadrant, as {top-left, top-right, bottom-left, bottom-right}. */
    private static int[] quadrantColours(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new int[] {
            image.getRGB(w / 4, h / 4) & WHITE, image.getRGB(3 * w / 4, h / 4) & WHITE,
            image.getRGB(w / 4, 3 * h / 4) & WHITE, image.getRGB(3 * w / 4, 3 * h / 4) & WHITE};
    }

    private static void assertColoursNear(int[] expected, int[] actual, int tolerance) {
        for (int i = 0; i < expected.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int e = expected[i] >> shift & 0xFF;
                int a = actual[i] >> shift & 0xFF;
                assertTrue(Math.abs(e - a) <= tolerance, String.format(
                        "quadrant %d: expected %06X, got %06X", i, expected[i], actual[i]));
            }
        }
    }

    /**
     * The files store 32 x 16 quadrants (red, green / blue, white) with EXIF orientation k; decoded they must look
     * as a viewer shows them.
     */
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws IOException {
        DecodedImage image = decoder.decode(resource("/image/orientation_" + orientation + ".jpg"), "o.jpg");
        boolean quarterTurn = orientation >= 5;
        assertEquals(quarterTurn ? 16 : 32, image.width());
        assertEquals(quarterTurn ? 32 : 16, image.height());
        int[] expected = switch (orientation) {
            case 1 -> new int[] {RED, GREEN, BLUE, WHITE};
            case 2 -> new int[] {GREEN, RED, WHITE, BLUE};   // mirrored left-right
            case 3 -> new int[] {WHITE, BLUE, GREEN, RED};   // rotated 180
            case 4 -> new int[] {BLUE, WHITE, RED, GREEN};   // mirrored top-bottom
            case 5 -> new int[] {RED, BLUE, GREEN, WHITE};   // transposed
            case 6 -> new int[] {BLUE, RED, WHITE, GREEN};   // rotated 90 clockwise
            case 7 -> new int[] {WHITE, GREEN, BLUE, RED};   // transverse
            default -> new int[] {GREEN, WHITE, RED, BLUE};  // 8: rotated 90 counter-clockwise
        };
        assertColoursNear(expected, quadrantColours(image.rgb()), 24);
    }

    @Test
    void formatComesFromContentNotName() throws IOException {
        byte[] png = resource("/image/quadrants.png");
        DecodedImage image = decoder.decode(png, "misnamed.jpg");
        assertEquals("png", image.format());
        assertEquals(BufferedImage.TYPE_INT_RGB, image.rgb().getType());
        assertArrayEquals(new int[] {RED, GREEN, BLUE, WHITE}, quadrantColours(image.rgb()));
        assertNull(image.exifGps(), "synthetic image has no GPS");
        assertEquals(false, image.hasExifGps());
    }

    @Test
    void decodingAFileEqualsDecodingItsBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("q.png");
        Files.write(file, resource("/image/quadrants.png"));
        DecodedImage fromFile = decoder.decode(file);
        DecodedImage fromBytes = decoder.decode(Files.readAllBytes(file), "q.png");
        assertArrayEquals(RgbConverter.packedRgb(fromBytes.rgb()), RgbConverter.packedRgb(fromFile.rgb()));
    }

    @Test
    void losslessWebpDecodesToTheSamePixelsAsPng() throws IOException {
        DecodedImage png = decoder.decode(resource("/image/quadrants.png"), "q.png");
        DecodedImage webp = decoder.decode(resource("/image/quadrants_lossless.webp"), "q.webp");
        assertEquals("webp", webp.format());
        assertArrayEquals(RgbConverter.packedRgb(png.rgb()), RgbConverter.packedRgb(webp.rgb()));
    }

    @Test
    void lossyWebpDecodes() throws IOException {
        DecodedImage webp = decoder.decode(resource("/image/quadrants_lossy.webp"), "q.webp");
        assertEquals(64, webp.width());
        assertColoursNear(new int[] {RED, GREEN, BLUE, WHITE}, quadrantColours(webp.rgb()), 40);
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws IOException {
        DecodedImage cmyk = decoder.decode(resource("/image/quadrants_cmyk.jpg"), "cmyk.jpg");
        assertEquals("jpeg", cmyk.format());
        assertColoursNear(new int[] {RED, GREEN, BLUE, WHITE}, quadrantColours(cmyk.rgb()), 40);
    }

    @Test
    void greyJpegBecomesEqualRgbChannels() throws IOException {
        DecodedImage grey = decoder.decode(resource("/image/quadrants_gray.jpg"), "grey.jpg");
        for (int p : RgbConverter.packedRgb(grey.rgb())) {
            int r = p >> 16 & 0xFF;
            assertEquals(r, p >> 8 & 0xFF);
            assertEquals(r, p & 0xFF);
        }
    }
}
