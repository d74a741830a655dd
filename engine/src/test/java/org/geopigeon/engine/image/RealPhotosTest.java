package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real camera and phone photos in shared/data/photos (various makers): every one decodes, and its EXIF GPS
 * matches ground_truth.csv. Skipped when shared/ is not next to the repository.
 */
class RealPhotosTest {

    record Truth(String file, double lat, double lon, String camera) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Path photosDir() {
        for (String candidate : new String[] {"../../shared/data/photos", "../shared/data/photos"}) {
            Path dir = Path.of(candidate);
            if (Files.isRegularFile(dir.resolve("ground_truth.csv"))) {
                return dir;
            }
        }
        return null;
    }

    static Stream<Truth> photos() throws IOException {
        Path dir = photosDir();
        if (dir == null) {
            return Stream.of(new Truth(null, 0, 0, null)); // one placeholder so the test can report the skip
        }
        List<String> lines = Files.readAllLines(dir.resolve("ground_truth.csv"));
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", 4))
                .map(c -> new Truth(c[0], Double.parseDouble(c[1]), Double.parseDouble(c[2]), c[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void decodesAndReadsGroundTruthGps(Truth truth) {
        Path dir = photosDir();
        Assumptions.assumeTrue(dir != null, "shared/data/photos not present");
        DecodedImage image = new ImageDecoder().decode(dir.resolve(truth.file()));

        assertEquals("jpeg", image.format());
        assertTrue(image.width() > 0 && image.height() > 0);
        assertEquals(java.awt.image.BufferedImage.TYPE_INT_RGB, image.rgb().getType());
        assertNotNull(image.exifGps(), truth.file() + " has GPS in EXIF");
        assertEquals(truth.lat(), image.exifGps().lat(), 1e-4, "latitude of " + truth.file());
        assertEquals(truth.lon(), image.exifGps().lon(), 1e-4, "longitude of " + truth.file());
        System.out.printf("photo %-36s %5dx%-5d gps=%.6f,%.6f alt=%s time=%s%n", truth.file(), image.width(),
                image.height(), image.exifGps().lat(), image.exifGps().lon(), image.exifAltitude(), image.exifTimestamp());
    }
}
