package org.geopigeon.engine.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The encodings the decoder accepts, recognised by their magic bytes (file names are never trusted). */
public enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    WEBP("webp");

    // Private signature bytes, only compared against (never written or handed out).
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String id;

    ImageFormat(String id) {
        this.id = id;
    }

    /** Lower-case name, also the ImageIO format name. */
    public String id() {
        return id;
    }

    /**
     * The format of encoded bytes by their signature: JPEG {@code FF D8 FF}, PNG's 8-byte signature (PNG spec 5.2),
     * WebP {@code RIFF....WEBP}; empty for anything else. Never throws.
     */
    public static Optional<ImageFormat> detect(byte[] bytes) {
        if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** Best guess at what an unsupported input is, for the error message. */
    static String describeUnsupported(byte[] bytes) {
        String what;
        if (startsWith(bytes, 0, ascii("GIF8"))) {
            what = "a GIF image";
        } else if (startsWith(bytes, 0, ascii("BM"))) {
            what = "a BMP image";
        } else if (startsWith(bytes, 0, ascii("II*\0")) || startsWith(bytes, 0, ascii("MM\0*"))) {
            what = "a TIFF image";
        } else if (startsWith(bytes, 4, ascii("ftyp"))) {
            what = "an ISO media file (HEIC/AVIF/MP4: convert it to JPEG first)";
        } else if (startsWith(bytes, 0, ascii("%PDF"))) {
            what = "a PDF document";
        } else if (looksLikeText(bytes)) {
            what = "text";
        } else {
            what = "unknown data starting with " + hex(bytes, 8);
        }
        return "is not a JPEG, PNG or WebP image by its content (it looks like " + what + ")";
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] magic) {
        if (bytes.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeText(byte[] bytes) {
        int n = Math.min(bytes.length, 512);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            boolean printable = b >= 0x20 && b < 0x7F || b == '\n' || b == '\r' || b == '\t' || b >= 0x80;
            if (!printable) {
                return false;
            }
        }
        return n > 0;
    }

    private static String hex(byte[] bytes, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            sb.append(String.format("%02X ", bytes[i] & 0xFF));
        }
        return sb.toString().trim();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
