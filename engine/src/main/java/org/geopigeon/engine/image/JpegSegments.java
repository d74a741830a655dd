package org.geopigeon.engine.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The marker segments of a JPEG before its first scan, and the same bytes without ICC profile segments.
 *
 * <p>Why this exists: the ImageIO JPEG readers (JDK and TwelveMonkeys) apply an embedded ICC profile inside
 * {@code read()}, converting to sRGB, and no read parameter turns that off. Pillow never applies it
 * ({@code Image.open(f).convert("RGB")} keeps libjpeg's YCbCr->RGB values). Removing the APP2 {@code ICC_PROFILE}
 * segments before the reader sees them gives libjpeg's values exactly, and a broken profile can no longer disturb
 * the pixel decoder. No library rewrites JPEG segment lists, so this walks the markers itself
 * (ISO/IEC 10918-1 B.1.1.2-B.2.4: {@code FF xx}, then a big-endian length that counts itself, except SOI, EOI,
 * RSTn and TEM which have none; fill bytes {@code FF} may precede a marker). It stops at the first SOS: what
 * follows is entropy-coded data and is copied unchanged. A malformed structure is left for the decoder to report.
 *
 * <p>ICC profile chunks follow ICC.1:2010 Annex B.4: "ICC_PROFILE\0", sequence number 1..n, count n, data.
 *
 * @param bytes          the file without its ICC segments (the input array itself when there were none)
 * @param components     number of components in the frame header (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK), 0 when unseen
 * @param adobeTransform the Adobe APP14 colour transform (0 none/CMYK/RGB, 1 YCbCr, 2 YCCK), or -1 without APP14
 * @param iccProblems    why the embedded profile is unusable, as sentences; empty when it is whole or absent
 */
record JpegSegments(byte[] bytes, int components, int adobeTransform, List<String> iccProblems) {

    // Private APP-segment identifiers, only compared against (never written or handed out).
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    /** Scans {@code jpeg} (which starts with SOI) up to its first scan. Never throws on malformed data. */
    static JpegSegments scan(byte[] jpeg) {
        List<int[]> iccSegments = new ArrayList<>(); // {offset, total length}
        List<int[]> iccChunks = new ArrayList<>();   // {sequence, count, data length, data offset}
        int components = 0;
        int adobeTransform = -1;
        int pos = 2;
        while (pos + 1 < jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                break; // not at a marker: malformed, leave the rest to the decoder
            }
            int start = pos;
            while (pos < jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes
            }
            if (pos >= jpeg.length) {
                break;
            }
            int marker = jpeg[pos++] & 0xFF;
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue; // TEM, RSTn, SOI: no length
            }
            if (marker == 0xD9 || marker == 0xDA || pos + 2 > jpeg.length) {
                break; // EOI or SOS: the header is over
            }
            int length = (jpeg[pos] & 0xFF) << 8 | jpeg[pos + 1] & 0xFF;
            int payload = pos + 2;
            int end = pos + length;
            if (length < 2 || end > jpeg.length) {
                break;
            }
            int payloadLength = length - 2;
            if (isStartOfFrame(marker) && payloadLength >= 6) {
                components = jpeg[payload + 5] & 0xFF;
            } else if (marker == 0xEE && payloadLength >= 12 && startsWith(jpeg, payload, ADOBE_ID)) {
                adobeTransform = jpeg[payload + 11] & 0xFF;
            } else if (marker == 0xE2 && startsWith(jpeg, payload, ICC_ID)) {
                iccSegments.add(new int[] {start, end - start});
                if (payloadLength >= ICC_ID.length + 2) {
                    iccChunks.add(new int[] {jpeg[payload + 12] & 0xFF, jpeg[payload + 13] & 0xFF,
                            payloadLength - ICC_ID.length - 2, payload + ICC_ID.length + 2});
                } else {
                    iccChunks.add(new int[] {0, 0, 0, payload});
                }
            }
            pos = end;
        }
        List<String> problems = iccSegments.isEmpty() ? List.of() : iccProblems(jpeg, iccChunks);
        return new JpegSegments(withoutSegments(jpeg, iccSegments), components, adobeTransform, problems);
    }

    private static boolean isStartOfFrame(int marker) {
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** The profile is usable when chunks 1..n of one count n are all there once and add up to its declared size. */
    private static List<String> iccProblems(byte[] jpeg, List<int[]> chunks) {
        List<String> problems = new ArrayList<>();
        int count = chunks.get(0)[1];
        boolean[] seen = new boolean[Math.max(count, 0) + 1];
        long total = 0;
        int firstData = -1;
        int firstLength = 0;
        for (int[] c : chunks) {
            int seq = c[0];
            if (c[1] != count || seq < 1 || seq > count || count < 1) {
                problems.add("ignored a broken ICC profile: its APP2 segments are numbered " + seq + " of " + c[1]
                        + ", which is not a valid sequence");
                return problems;
            }
            if (seen[seq]) {
                problems.add("ignored a broken ICC profile: APP2 segment " + seq + " of " + count + " appears twice");
                return problems;
            }
            seen[seq] = true;
            total += c[2];
            if (seq == 1) {
                firstData = c[3];
                firstLength = c[2];
            }
        }
        if (chunks.size() != count) {
            problems.add("ignored an incomplete ICC profile: " + chunks.size() + " of its " + count
                    + " APP2 segments are in the file");
            return problems;
        }
        if (firstLength < 4) {
            problems.add("ignored a broken ICC profile: its data is " + total + " bytes, too short for a header");
            return problems;
        }
        long declared = (jpeg[firstData] & 0xFFL) << 24 | (jpeg[firstData + 1] & 0xFFL) << 16
                | (jpeg[firstData + 2] & 0xFFL) << 8 | jpeg[firstData + 3] & 0xFFL;
        if (declared > total) {
            problems.add("ignored a truncated ICC profile: its header declares " + declared + " bytes, the file has "
                    + total);
        } else if (total < 128) {
            problems.add("ignored a broken ICC profile: " + total + " bytes, shorter than the 128-byte ICC header");
        }
        return problems;
    }

    private static byte[] withoutSegments(byte[] jpeg, List<int[]> segments) {
        if (segments.isEmpty()) {
            return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        int copied = 0;
        for (int[] s : segments) {
            out.write(jpeg, copied, s[0] - copied);
            copied = s[0] + s[1];
        }
        out.write(jpeg, copied, jpeg.length - copied);
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return offset + prefix.length <= bytes.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
