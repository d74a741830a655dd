package org.geopigeon.service.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.geopigeon.engine.bundle.BundleLocator;

/**
 * Encoded test images: synthetic scenes as PNG or JPEG bytes, hostile headers, and the repository's sample
 * photos (sample-data/photos, made by tools/make_sample_photos.py).
 */
public final class TestImages {

    private TestImages() {
    }

    /** A deterministic RGB picture; different seeds give different pixels. */
    public static BufferedImage scene(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * (seed + 3) + y) & 0xFF;
                int g = y < height / 2 ? 180 : (x ^ y) & 0xFF;
                int b = (seed * 37 + y * 5) & 0xFF;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    public static byte[] png(BufferedImage img) {
        return encode(img, "png");
    }

    public static byte[] jpeg(BufferedImage img) {
        return encode(img, "jpeg");
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A decompression bomb: a valid PNG signature and IHDR declaring {@code width x height} 8-bit RGB pixels,
     * then an empty IDAT and IEND. A decoder that trusts it would allocate width x height x 3 bytes.
     */
    public static byte[] pngBombHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A file of sample-data/photos. */
    public static Path samplePhoto(String name) {
        Path p = BundleLocator.resolve(null).getParent().resolve("photos").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("sample photo missing: " + p + " (run tools/make_sample_photos.py)");
        }
        return p;
    }

    public static byte[] samplePhotoBytes(String name) {
        try {
            return Files.readAllBytes(samplePhoto(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
