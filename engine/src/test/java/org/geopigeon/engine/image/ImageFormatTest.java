package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Formats are recognised from their magic bytes only. */
class ImageFormatTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void recognisesJpegPngAndWebp() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(bytes(0xFF, 0xD8, 0xFF, 0xE1)));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n')));
        assertEquals(Optional.of(ImageFormat.WEBP),
                ImageFormat.detect("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("jpeg", ImageFormat.JPEG.id());
    }

    @Test
    void rejectsLookalikesAndShortInputs() {
        assertEquals(Optional.empty(), ImageFormat.detect(bytes(0xFF, 0xD8)));
        assertEquals(Optional.empty(), ImageFormat.detect(bytes(0x89, 'P', 'N', 'G')));
        assertEquals(Optional.empty(), ImageFormat.detect("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.empty(), ImageFormat.detect(new byte[0]));
    }

    @Test
    void describesWhatAnUnsupportedInputLooksLike() {
        assertTrue(ImageFormat.describeUnsupported("II*\0abc".getBytes(StandardCharsets.ISO_8859_1)).contains("TIFF"));
        assertTrue(ImageFormat.describeUnsupported("BM6\0\0\0".getBytes(StandardCharsets.ISO_8859_1)).contains("BMP"));
        assertTrue(ImageFormat.describeUnsupported("%PDF-1.7".getBytes(StandardCharsets.ISO_8859_1)).contains("PDF"));
        assertTrue(ImageFormat.describeUnsupported(bytes(0, 1, 2, 3)).contains("00 01 02 03"));
    }
}
