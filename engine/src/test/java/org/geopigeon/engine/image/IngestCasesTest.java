package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world file kinds decode to exactly the pixels and metadata Pillow 9.4 gives (issue 8): ICC-tagged files
 * (profile ignored), broken metadata (ignored, listed as warnings) against truly truncated files (refused), GPS only in
 * XMP, EXIF in PNG text chunks, lossy WebP. Every row of both expected.csv files is a test; see {@link IngestCases}.
 */
class IngestCasesTest {

    private final ImageDecoder decoder = new ImageDecoder();

    static Stream<IngestCases> cases() {
        return IngestCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAsPillowDoes(IngestCases c) {
        if (!c.accepted()) {
            ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(c.path()));
            if (c.has("reason")) {
                assertEquals(ImageRejectedException.Reason.valueOf(c.get("reason")), e.reason(), e.getMessage());
            }
            assertTrue(e.getMessage().contains(c.file()), "the message names the file: " + e.getMessage());
            return;
        }
        DecodedImage image = decoder.decode(c.path());
        assertEquals(Integer.parseInt(c.get("width")), image.width(), "width after orientation");
        assertEquals(Integer.parseInt(c.get("height")), image.height(), "height after orientation");
        assertEquals(c.get("pixel_sha256"), PixelHash.sha256(image.rgb()), "pixel hash (the audit log's image hash)");
        if (c.has("orientation")) {
            assertEquals(Integer.parseInt(c.get("orientation")), image.orientation(), "orientation");
        }
        if (c.has("gps_lat")) {
            assertNotNull(image.exifGps(), "position");
            assertEquals(Double.parseDouble(c.get("gps_lat")), image.exifGps().lat(), 1e-4, "latitude");
            assertEquals(Double.parseDouble(c.get("gps_lon")), image.exifGps().lon(), 1e-4, "longitude");
            assertEquals(c.get("gps_source"), image.gpsSource(), "where the position was read");
            assertEquals(image.exifGps(), image.metadata().gps().position());
        } else {
            assertNull(image.exifGps(), "no position");
            assertNull(image.gpsSource());
        }
        if (c.has("gps_alt")) {
            assertEquals(Double.parseDouble(c.get("gps_alt")), image.exifAltitude(), 1e-6, "altitude");
        }
        if (c.values().containsKey("icc_profile")) {
            assertEquals(c.has("icc_profile") ? c.get("icc_profile") : null, image.metadata().iccProfile(),
                    "ICC profile description (LittleCMS's)");
        }
    }

    @Test
    void ownCasesCoverEveryKindOfIssue8() {
        List<IngestCases> own = IngestCases.read(IngestCases.ownDir());
        for (String kind : List.of("i", "m", "x", "r", "w", "o")) {
            assertTrue(own.stream().filter(c -> c.file().startsWith(kind)).count() >= 2, "cases of kind " + kind);
        }
        assertTrue(own.stream().anyMatch(c -> !c.accepted()), "truly truncated files are among them");
        assertTrue(own.stream().anyMatch(c -> "xmp".equals(c.get("gps_source"))));
    }

    @Test
    void profileTaggedJpegsGiveTheSamePixelsAsTheUntaggedOne() {
        // As the handed f14 (Display P3) and f03 (junk ICC segment) are e01 with a profile added, these are the scene
        // of x01 with a whole or broken profile added: the pixels must not change.
        String untagged = PixelHash.sha256(decoder.decode(IngestCases.ownDir().resolve("x01_xmp_dms_attributes.jpg")).rgb());
        for (String tagged : List.of("i01_display_p3.jpg", "m01_icc_incomplete_sequence.jpg", "m02_icc_cut_short.jpg",
                "m03_icc_sequence_zero.jpg")) {
            assertEquals(untagged, PixelHash.sha256(decoder.decode(IngestCases.ownDir().resolve(tagged)).rgb()), tagged);
        }
    }

    @Test
    void brokenIccSegmentsAreWarningsNotRejections() {
        for (String file : List.of("m01_icc_incomplete_sequence.jpg", "m02_icc_cut_short.jpg", "m03_icc_sequence_zero.jpg")) {
            DecodedImage image = decoder.decode(IngestCases.ownDir().resolve(file));
            assertNull(image.metadata().iccProfile(), file);
            assertEquals(1, image.warnings().size(), file + ": " + image.warnings());
            assertTrue(image.warnings().get(0).contains("ICC profile"), image.warnings().get(0));
        }
        DecodedImage png = decoder.decode(IngestCases.ownDir().resolve("m06_png_iccp_cut.png"));
        assertTrue(png.warnings().stream().anyMatch(w -> w.contains("ICC")), png.warnings().toString());
    }

    @Test
    void cameraCaptureTimeAndGpsDetailsAreRead() {
        DecodedImage image = decoder.decode(IngestCases.ownDir().resolve("o01_motorola_camera_fields.jpg"));
        ImageMetadata m = image.metadata();
        assertEquals(new CameraInfo("GeoPigeonCam", "GP-1", "GP 4.2mm f/1.8"), m.camera());
        assertEquals("GeoPigeon tests 1.0", m.software());
        assertEquals("2023-07-14T18:05:09+02:00", m.captured(), "DateTimeOriginal with OffsetTimeOriginal");
        assertEquals("2023:07:14 18:05:09", image.exifTimestamp(), "as the camera wrote it");
        assertEquals("2023-07-14T16:05:09Z", m.gps().time(), "GPS date stamp and time stamp, UTC");
        assertEquals(-12.5, m.gps().altitude(), 1e-9, "below sea level");
        assertEquals(GpsFix.Source.EXIF, m.gps().source());
        assertTrue(m.warnings().isEmpty(), m.warnings().toString());

        DecodedImage xmp = decoder.decode(IngestCases.ownDir().resolve("x02_xmp_ddmm_elements_south_west.jpg"));
        assertEquals(GpsFix.Source.XMP, xmp.metadata().gps().source());
        assertEquals(710.0, xmp.exifAltitude(), 1e-9);
        assertEquals("2023-04-05T06:07:08Z", xmp.metadata().gps().time());
    }

    @Test
    void lossyWebpIsDecodedByLibwebpHere() {
        assertTrue(ImageDecoder.usesLibwebp(), "libwebp's native library loads on this platform (linux x86_64)");
        DecodedImage webp = decoder.decode(IngestCases.ownDir().resolve("w01_lossy_odd_size.webp"));
        assertTrue(webp.warnings().isEmpty(), webp.warnings().toString());
    }
}
