package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.geopigeon.engine.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is refused with a specific reason and a message that names it. */
class ImageDecoderRejectionTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir
    Path dir;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderRejectionTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static ImageRejectedException rejected(Reason reason, String source, Executable call) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(source), "message names the source: " + e.getMessage());
        assertEquals(source, e.source());
        return e;
    }

    @Test
    void zeroBytesAreEmpty() throws IOException {
        rejected(Reason.EMPTY, "empty.jpg", () -> decoder.decode(new byte[0], "empty.jpg"));
        Path file = Files.createFile(dir.resolve("empty-file.png"));
        rejected(Reason.EMPTY, file.toString(), () -> decoder.decode(file));
    }

    @Test
    void truncatedJpegIsNotSilentlyGreyFilled() throws IOException {
        byte[] jpeg = resource("/preprocess/photo_1200x900.jpg");
        for (double keep : new double[] {0.9, 0.5, 0.1}) {
            byte[] cut = Arrays.copyOf(jpeg, (int) (jpeg.length * keep));
            ImageRejectedException e = rejected(Reason.TRUNCATED, "cut.jpg", () -> decoder.decode(cut, "cut.jpg"));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void jpegCutInsideItsHeaderIsRefused() throws IOException {
        byte[] cut = Arrays.copyOf(resource("/preprocess/photo_1200x900.jpg"), 40);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut, "head.jpg"));
        assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.CORRUPT, e.getMessage());
        assertTrue(e.getMessage().contains("head.jpg"));
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        byte[] png = resource("/preprocess/portrait_480x640.png");
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(cut, "cut.png"));
        assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.CORRUPT, e.getMessage());
        assertTrue(e.getMessage().contains("cut.png"));
    }

    @Test
    void textFileNamedJpgIsUnsupportedWhateverItsName() throws IOException {
        Path file = dir.resolve("holiday.jpg");
        Files.writeString(file, "this is not a photo, just some notes\n");
        ImageRejectedException e = rejected(Reason.UNSUPPORTED_FORMAT, file.toString(), () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("text"), e.getMessage());
    }

    @Test
    void knownButUnsupportedFormatsAreNamed() {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        ImageRejectedException e = rejected(Reason.UNSUPPORTED_FORMAT, "anim.gif", () -> decoder.decode(gif, "anim.gif"));
        assertTrue(e.getMessage().contains("GIF"), e.getMessage());
        byte[] heic = new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};
        e = rejected(Reason.UNSUPPORTED_FORMAT, "IMG_0001.HEIC", () -> decoder.decode(heic, "IMG_0001.HEIC"));
        assertTrue(e.getMessage().contains("HEIC"), e.getMessage());
    }

    @Test
    void pngDeclaring30000x30000IsRefusedFromItsHeader() throws IOException {
        // 900 megapixels: decoding would need > 3 GB, more than the test heap, so passing proves no allocation.
        byte[] bomb = pngWithHeader(30000, 30000);
        ImageRejectedException e = rejected(Reason.TOO_MANY_PIXELS, "bomb.png", () -> decoder.decode(bomb, "bomb.png"));
        assertTrue(e.getMessage().contains("30000 x 30000"), e.getMessage());
    }

    @Test
    void jpegDeclaringHugeDimensionsIsRefusedFromItsHeader() throws IOException {
        byte[] jpeg = resource("/preprocess/photo_1200x900.jpg").clone();
        int sof = indexOfMarker(jpeg, (byte) 0xC0);
        // SOF0: FF C0, length(2), precision(1), height(2), width(2)
        jpeg[sof + 5] = (byte) 0xFF;
        jpeg[sof + 6] = (byte) 0xFF;
        jpeg[sof + 7] = (byte) 0xFF;
        jpeg[sof + 8] = (byte) 0xFF;
        ImageRejectedException e = rejected(Reason.TOO_MANY_PIXELS, "huge.jpg", () -> decoder.decode(jpeg, "huge.jpg"));
        assertTrue(e.getMessage().contains("65535 x 65535"), e.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        ImageDecoder strict = new ImageDecoder(new ImageLimits(100_000, ImageLimits.DEFAULT_MAX_BYTES));
        byte[] png = resource("/preprocess/portrait_480x640.png");
        rejected(Reason.TOO_MANY_PIXELS, "portrait.png", () -> strict.decode(png, "portrait.png"));
    }

    @Test
    void hostileHugeByteArraysAreRefusedBeforeParsing() {
        byte[] huge = new byte[(int) ImageLimits.DEFAULT_MAX_BYTES + 1];
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        huge[2] = (byte) 0xFF;
        ImageRejectedException e = rejected(Reason.TOO_LARGE, "upload", () -> decoder.decode(huge, "upload"));
        assertTrue(e.getMessage().contains(String.valueOf(huge.length)), e.getMessage());

        ImageDecoder small = new ImageDecoder(new ImageLimits(ImageLimits.DEFAULT_MAX_PIXELS, 1_000));
        rejected(Reason.TOO_LARGE, "big.png", () -> small.decode(new byte[1_001], "big.png"));
    }

    @Test
    void hugeFileIsRefusedWithoutReadingIt() throws IOException {
        Path file = dir.resolve("huge.jpg");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(ImageLimits.DEFAULT_MAX_BYTES * 20); // sparse: 2 GB that would not fit in a byte[]
        }
        rejected(Reason.TOO_LARGE, file.toString(), () -> decoder.decode(file));
    }

    @Test
    void randomBytesBehindJpegMagicAreCorrupt() {
        byte[] garbage = new byte[20_000];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(garbage, "noise.jpg"));
        assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.getMessage());
        assertTrue(e.getMessage().contains("noise.jpg"));
    }

    @Test
    void pngWithBrokenDataIsCorrupt() throws IOException {
        byte[] png = pngWithHeader(64, 64); // valid header, IDAT far too short for 64 x 64
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(png, "short.png"));
        assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.getMessage());
        assertTrue(e.getMessage().contains("short.png"));
    }

    @Test
    void missingFileAndDirectoryAreUnreadable() throws IOException {
        Path missing = dir.resolve("nowhere.jpg");
        rejected(Reason.UNREADABLE, missing.toString(), () -> decoder.decode(missing));
        rejected(Reason.UNREADABLE, dir.toString(), () -> decoder.decode(dir));
    }

    /** A PNG with a valid IHDR for the given size, one tiny IDAT and IEND. */
    static byte[] pngWithHeader(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[16]);
        deflater.finish();
        byte[] idat = new byte[64];
        int n = deflater.deflate(idat);
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int indexOfMarker(byte[] jpeg, byte marker) {
        for (int i = 0; i < jpeg.length - 1; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == marker) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
