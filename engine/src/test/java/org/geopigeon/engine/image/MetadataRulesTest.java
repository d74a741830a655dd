package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.geopigeon.engine.geo.LatLon;
import org.junit.jupiter.api.Test;

/** The small rules behind the decoder: XMP coordinates, JPEG ICC segments, PNG raw profiles, truncation messages. */
class MetadataRulesTest {

    @Test
    void xmpCoordinatesInEveryWrittenForm() {
        assertEquals(43.0764, XmpGpsCoordinate.parse("43,4.5840N", null, true), 1e-9);
        assertEquals(-79.077, XmpGpsCoordinate.parse("79,4.6200W", null, false), 1e-9);
        assertEquals(48 + 51 / 60.0 + 29.6 / 3600, XmpGpsCoordinate.parse("48,51,29.6N", null, true), 1e-9);
        assertEquals(-33.8568, XmpGpsCoordinate.parse("33.8568", "S", true), 1e-9);
        assertEquals(-33.8568, XmpGpsCoordinate.parse("-33.8568", null, true), 1e-9);
        assertEquals(33.8568, XmpGpsCoordinate.parse("33.8568N", "S", true), 1e-9, "the letter in the value wins");
        assertEquals(43.5, XmpGpsCoordinate.parse("43/1,30/1N", null, true), 1e-9, "rationals");
        assertEquals(-179.95, XmpGpsCoordinate.parse("179,57W", null, false), 1e-9);
        for (String bad : List.of("", "N", "91,0N", "43,61N", "43,4,60N", "abc", "1,2,3,4N", "12,5E")) {
            assertThrows(IllegalArgumentException.class, () -> XmpGpsCoordinate.parse(bad, null, true), bad);
        }
        assertEquals(710.0, XmpGpsCoordinate.rational("7100/10"), 1e-9);
        assertNull(XmpGpsCoordinate.rational(" "));
    }

    @Test
    void jpegIccSegmentsAreRemovedAndEverythingElseKept() {
        byte[] icc = new byte[200];
        icc[2] = 0;
        icc[3] = (byte) 200; // declared size 200
        byte[] jpeg = jpeg(segment(0xE0, "JFIF\0x".getBytes(StandardCharsets.ISO_8859_1)),
                iccSegment(1, 2, java.util.Arrays.copyOfRange(icc, 0, 120)),
                segment(0xEE, "Adobe\0\0\0\0\0\0\u0002".getBytes(StandardCharsets.ISO_8859_1)),
                iccSegment(2, 2, java.util.Arrays.copyOfRange(icc, 120, 200)),
                segment(0xC0, new byte[] {8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0}));
        JpegSegments s = JpegSegments.scan(jpeg);
        assertEquals(4, s.components());
        assertEquals(2, s.adobeTransform(), "YCCK");
        assertTrue(s.iccProblems().isEmpty(), s.iccProblems().toString());
        assertEquals(jpeg.length - 2 * 4 - 14 * 2 - 200, s.bytes().length, "both APP2 segments gone");
        assertFalse(new String(s.bytes(), StandardCharsets.ISO_8859_1).contains("ICC_PROFILE"));
        assertTrue(new String(s.bytes(), StandardCharsets.ISO_8859_1).contains("JFIF"));

        JpegSegments missing = JpegSegments.scan(jpeg(iccSegment(1, 2, icc)));
        assertTrue(missing.iccProblems().get(0).contains("1 of its 2 APP2 segments"), missing.iccProblems().toString());
        byte[] plain = jpeg(segment(0xE0, "JFIF\0".getBytes(StandardCharsets.ISO_8859_1)));
        assertSame(plain, JpegSegments.scan(plain).bytes(), "no ICC: the same bytes");
        assertEquals(-1, JpegSegments.scan(plain).adobeTransform());
    }

    @Test
    void rawProfileExifIsHexAfterThreeLines() {
        String text = "\nexif\n      10\n457869660000\n49492a000800\n0000\n";
        assertArrayEquals(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, MetadataReader.rawProfileBytes(text));
        assertThrows(IllegalArgumentException.class, () -> MetadataReader.rawProfileBytes("\nexif\n 3\nabc\n"));
        assertThrows(IllegalArgumentException.class, () -> MetadataReader.rawProfileBytes("exif"));
    }

    @Test
    void onlyMissingPixelDataIsTruncation() {
        assertTrue(ImageDecoder.isTruncationText("Premature end of JPEG file"));
        assertTrue(ImageDecoder.isTruncationText("Truncated File - Missing EOI marker"));
        assertTrue(ImageDecoder.isTruncationText("Unexpected end of ZLIB input stream"));
        assertFalse(ImageDecoder.isTruncationText(
                "Bad 'ICC_PROFILE' chunk(s): Truncated ICC Profile data. Ignoring ICC profile."));
        assertFalse(ImageDecoder.isTruncationText("Truncated EXIF segment"));
        assertFalse(ImageDecoder.isTruncationText("Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"));
    }

    @Test
    void theOldSevenArgumentFormStillWorks() {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        DecodedImage d = new DecodedImage(rgb, 2, 1, "png", new LatLon(1, 2), 3.0, "2020:01:01 00:00:00");
        assertEquals("exif", d.gpsSource());
        assertEquals(1, d.orientation());
        assertTrue(d.warnings().isEmpty());
        assertEquals(3.0, d.metadata().gps().altitude());
        assertNull(new DecodedImage(rgb, 2, 1, "png", null, null, null).gpsSource());
    }

    private static byte[] jpeg(byte[]... segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 2, 1, 2, 3, (byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    private static byte[] iccSegment(int seq, int count, byte[] data) {
        byte[] payload = new byte[14 + data.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 12);
        payload[12] = (byte) seq;
        payload[13] = (byte) count;
        System.arraycopy(data, 0, payload, 14, data.length);
        return segment(0xE2, payload);
    }

    private static byte[] segment(int marker, byte[] payload) {
        byte[] s = new byte[4 + payload.length];
        s[0] = (byte) 0xFF;
        s[1] = (byte) marker;
        s[2] = (byte) ((payload.length + 2) >> 8);
        s[3] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, s, 4, payload.length);
        return s;
    }
}
