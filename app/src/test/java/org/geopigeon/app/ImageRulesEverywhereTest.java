package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.service.ImageRules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial finding: {@code inspect}, {@code train}, {@code evaluate} and {@code pretrain} accepted a 1 x 1 image and a
 * file over 25 MiB that {@code locate}, the service and batch refuse. Every command now applies the service's one
 * {@link ImageRules} (through {@link CliImages}), with the same words.
 */
class ImageRulesEverywhereTest {

    private static final Path CLIP = Path.of("../sample-data/demo-clip-bundle");

    @TempDir
    Path dir;

    private Path photos;
    private Path tiny;
    private Path huge;
    private Path locations;

    @BeforeEach
    void photos() throws IOException {
        photos = Files.createDirectories(dir.resolve("photos"));
        GeocellSet cells = GeocellGeoJson.read(TrainCommandTest.GEOCELLS);
        StringBuilder csv = new StringBuilder("file,lat,lon\n");
        for (int i = 0; i < 6; i++) {
            TrainCommandTest.writePng(photos.resolve("p" + i + ".png"), i);
            LatLon c = cells.get(i % 3).centroid();
            csv.append("p").append(i).append(".png,").append(c.lat()).append(',').append(c.lon()).append('\n');
        }
        tiny = photos.resolve("tiny.png");
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", tiny.toFile());
        huge = photos.resolve("huge.jpg");
        writeOversizedJpeg(huge, ImageRules.DEFAULT_MAX_BYTES + 1024 * 1024);
        LatLon c = cells.get(0).centroid();
        csv.append("tiny.png,").append(c.lat()).append(',').append(c.lon()).append('\n');
        csv.append("huge.jpg,").append(c.lat()).append(',').append(c.lon()).append('\n');
        locations = dir.resolve("truth.csv");
        Files.writeString(locations, csv);
    }

    @Test
    void inspectRefusesWhatLocateRefusesWithTheSameWords() {
        Path good = photos.resolve("p0.png");
        Run inspect = run("inspect", "--json", tiny.toString(), good.toString(), huge.toString());
        Run locate = run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(), "--json", tiny.toString(),
                good.toString(), huge.toString());
        assertEquals(1, inspect.exitCode(), inspect.err());
        assertEquals(1, locate.exitCode(), locate.err());
        String tooSmall = "error: " + tiny + ": is 1 x 1 pixels; at least 32 x 32 is needed";
        String tooLarge = "error: " + huge + ": is more than the limit of 26214400 bytes (25 MiB)";
        for (Run r : List.of(inspect, locate)) {
            assertTrue(r.err().contains(tooSmall), r.err());
            assertTrue(r.err().contains(tooLarge), r.err());
            assertEquals(1, r.out().lines().count(), "only the good file is printed: " + r.out());
        }
    }

    @Test
    void trainSkipsTheFilesLocateRefuses() {
        Run r = run("train", "--photos", photos.toString(), "--locations", locations.toString(), "--geocells",
                TrainCommandTest.GEOCELLS.toString(), "--out", dir.resolve("model").toString(), "--base-bundle",
                TrainCommandTest.BUNDLE.toString(), "--epochs", "1", "--no-refinement");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("is 1 x 1 pixels; at least 32 x 32 is needed"), r.err());
        assertTrue(r.err().contains("more than the limit of 26214400 bytes"), r.err());
        assertTrue(r.err().contains("6 of 8 photos embedded, 2 rejected"), r.err());
    }

    @Test
    void evaluateSkipsTheFilesLocateRefuses() {
        Run r = run("evaluate", "--bundle", TrainCommandTest.BUNDLE.toString(), "--truth", locations.toString(),
                "--images", photos.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skip tiny.png"), r.err());
        assertTrue(r.err().contains("is 1 x 1 pixels; at least 32 x 32 is needed"), r.err());
        assertTrue(r.err().contains("skip huge.jpg"), r.err());
    }

    @Test
    void pretrainSkipsTheFilesLocateRefuses() {
        Run r = run("pretrain", "--bundle", CLIP.toString(), "--photos", photos.toString(), "--locations",
                locations.toString(), "--geocells", TrainCommandTest.GEOCELLS.toString(), "--out",
                dir.resolve("pre").toString(), "--epochs", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skip tiny.png: is 1 x 1 pixels; at least 32 x 32 is needed"), r.err());
        assertTrue(r.err().contains("skip huge.jpg: is "), r.err());
    }

    @Test
    void pretrainReportsABundleWithoutClipBeforeDecodingAnyPhoto() {
        Run r = run("pretrain", "--bundle", TrainCommandTest.BUNDLE.toString(), "--photos", photos.toString(),
                "--locations", locations.toString(), "--geocells", TrainCommandTest.GEOCELLS.toString(), "--out",
                dir.resolve("pre").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("no 'clip' section"), r.err());
        assertFalse(r.err().contains("skip tiny.png"), "no photo decoded first: " + r.err());
        assertFalse(r.err().contains("photos with captions"), r.err());
    }

    /** A real JPEG followed by random bytes (decoders stop at EOI; only the size is wrong). */
    private static void writeOversizedJpeg(Path file, long size) throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "jpg", file.toFile());
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            for (long n = Files.size(file); n < size; n += block.length) {
                out.write(block);
            }
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        TrainCommandTest.Run r = TrainCommandTest.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }
}
