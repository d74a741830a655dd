package org.geopigeon.engine.image;

import java.io.ByteArrayOutputStream;

/**
 * Removes the ICCP chunk of an extended WebP file, for the pure-Java fallback decoder (TwelveMonkeys applies the
 * profile; libwebp and Pillow do not). RIFF container as in the WebP Container Specification: "RIFF", little-endian
 * size, "WEBP", then chunks (FourCC, little-endian size, data padded to even length); the VP8X chunk's flag bit
 * 0x20 says an ICC profile is present. No library edits WebP chunk lists, hence this class. Malformed input is
 * returned unchanged for the decoder to report.
 */
final class WebpChunks {

    private static final int ICC_FLAG = 0x20;

    private WebpChunks() {
    }

    static byte[] withoutIccProfile(byte[] webp) {
        if (webp.length < 12 || !fourCc(webp, 0, "RIFF") || !fourCc(webp, 8, "WEBP")) {
            return webp;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(webp.length);
        out.write(webp, 0, 12);
        boolean removed = false;
        int pos = 12;
        while (pos + 8 <= webp.length) {
            long size = littleEndian(webp, pos + 4);
            long end = pos + 8 + size + (size & 1);
            if (end > webp.length) {
                return webp; // truncated or damaged: let the decoder say so
            }
            if (fourCc(webp, pos, "ICCP")) {
                removed = true;
            } else {
                int start = out.size();
                out.write(webp, pos, (int) (end - pos));
                if (fourCc(webp, pos, "VP8X") && size >= 1) {
                    byte[] sofar = out.toByteArray();
                    sofar[start + 8] &= (byte) ~ICC_FLAG;
                    out.reset();
                    out.write(sofar, 0, sofar.length);
                }
            }
            pos = (int) end;
        }
        if (!removed) {
            return webp;
        }
        out.write(webp, pos, webp.length - pos);
        byte[] result = out.toByteArray();
        int riffSize = result.length - 8;
        result[4] = (byte) riffSize;
        result[5] = (byte) (riffSize >>> 8);
        result[6] = (byte) (riffSize >>> 16);
        result[7] = (byte) (riffSize >>> 24);
        return result;
    }

    private static boolean fourCc(byte[] b, int at, String id) {
        return b[at] == id.charAt(0) && b[at + 1] == id.charAt(1) && b[at + 2] == id.charAt(2) && b[at + 3] == id.charAt(3);
    }

    private static long littleEndian(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
