package org.geopigeon.engine.image;

import java.awt.image.RenderedImage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an image's decoded pixels, as the model sees them (RGB, alpha dropped; see
 * {@link RgbConverter}). Hashing pixels rather than file bytes means the same picture gets the
 * same hash whether it arrived as a file (CLI) or as an already-decoded image (WPS), and whatever
 * its metadata or lossless container; a lossy re-encode changes pixels and therefore the hash.
 *
 * <p>Digest input: width and height as big-endian 32-bit integers, then R, G, B bytes per pixel,
 * row by row from the top-left corner, after EXIF orientation. This is the audit log's image hash, the
 * {@code pixel_sha256} of {@code inspect}, and equals what Pillow gives for
 * {@code ImageOps.exif_transpose(Image.open(f)).convert("RGB")} hashed the same way.
 */
public final class PixelHash {

    private PixelHash() {
    }

    /** Lower-case hex SHA-256 of the pixels. */
    public static String sha256(RenderedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = RgbConverter.packedRgb(image);
        MessageDigest md = sha256();
        md.update(ByteBuffer.allocate(8).putInt(w).putInt(h).array());
        byte[] row = new byte[w * 3];
        for (int y = 0; y < h; y++) {
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int p = rgb[base + x];
                row[3 * x] = (byte) (p >>> 16);
                row[3 * x + 1] = (byte) (p >>> 8);
                row[3 * x + 2] = (byte) p;
            }
            md.update(row);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A new SHA-256 digest (every Java platform has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e); // required of every Java platform
        }
    }
}
