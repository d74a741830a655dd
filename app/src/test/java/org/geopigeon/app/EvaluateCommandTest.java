package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.geopigeon.app.TrainCommandTest.Run;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    private static final Path BUNDLE = TrainCommandTest.BUNDLE;
    private static final Path GEOCELLS = TrainCommandTest.GEOCELLS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GeocellSet cells;

    @TempDir
    Path dir;

    @BeforeAll
    static void demo() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(GEOCELLS), "demo bundle not built at " + BUNDLE.toAbsolutePath());
        cells = GeocellGeoJson.read(GEOCELLS);
    }

    @Test
    void oracleOfPointsAtCellCentroidsIsExact() throws IOException {
        StringBuilder csv = new StringBuilder("LAT,LON\n");
        for (int c = 0; c < 4; c++) {
            LatLon p = cells.get(c).centroid();
            csv.append(p.lat()).append(',').append(p.lon()).append('\n');
        }
        Path truth = dir.resolve("truth.csv");
        Files.writeString(truth, csv);
        Run r = TrainCommandTest.run("evaluate", "--oracle", "--geocells", GEOCELLS.toString(), "--truth", truth.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(4, j.path("count").asInt());
        assertEquals(1.0, j.path("accuracy").path("1km").asDouble());
        assertEquals(0.0, j.path("medianKm").asDouble(), 1e-6);
        assertEquals(5000.0, j.path("geoguessrScore").asDouble());
        assertTrue(j.path("countryAccuracy").isNull(), "trivially 100% for the oracle, so not reported");
    }

    @Test
    void oracleTableIsReadable() throws IOException {
        Path truth = dir.resolve("t.csv");
        Files.writeString(truth, "lat,lon\n48.85,2.35\n40.71,-74.0\n");
        Run r = TrainCommandTest.run("evaluate", "--oracle", "--geocells", GEOCELLS.toString(), "--truth", truth.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("acc < 2500 km") && r.out().contains("median error km") && r.out().contains("geocell oracle"), r.out());
    }

    @Test
    void badTruthRowsAreCountedAndNamed() throws IOException {
        Path truth = dir.resolve("bad.csv");
        Files.writeString(truth, "lat,lon\n1,2\nNaN,3\n10,200\n");
        Run r = TrainCommandTest.run("evaluate", "--oracle", "--geocells", GEOCELLS.toString(), "--truth", truth.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("2 of 3 rows are invalid") && r.err().contains("line 3") && r.err().contains("line 4"), r.err());
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        Run e = TrainCommandTest.run("evaluate", "--oracle", "--geocells", GEOCELLS.toString(), "--truth", empty.toString());
        assertEquals(1, e.exitCode());
        assertTrue(e.err().contains("empty"), e.err());
    }

    @Test
    void evaluatesImagesListedInATruthCsvSkippingUnreadableOnes() throws IOException {
        Path images = Files.createDirectories(dir.resolve("img"));
        StringBuilder csv = new StringBuilder("file,lat,lon\n");
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(img, "png", images.resolve(i + ".png").toFile());
            csv.append(i).append(".png,").append(10 * i).append(",").append(20 * i).append('\n');
        }
        Files.writeString(images.resolve("bad.jpg"), "text");
        csv.append("bad.jpg,0,0\n");
        Path truth = images.resolve("truth.csv");
        Files.writeString(truth, csv);
        Path png = dir.resolve("plot.png");
        Run r = TrainCommandTest.run("evaluate", "--bundle", BUNDLE.toString(), "--truth", truth.toString(), "--plot", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skip bad.jpg (truth.csv line 5)"), r.err());
        assertTrue(r.err().contains("1 of 4 images skipped"), r.err());
        assertTrue(r.out().contains("images                          3"), r.out());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void commandLineMistakesAreExplained() {
        Run r = TrainCommandTest.run("evaluate", "--oracle", "--truth", "x.csv");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--oracle needs --geocells"), r.err());
        Run both = TrainCommandTest.run("evaluate", "--truth", "x.csv", "--gallery", "g.safetensors");
        assertEquals(2, both.exitCode());
        Run missing = TrainCommandTest.run("evaluate", "--bundle", BUNDLE.toString(), "--gallery", dir.resolve("nope").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("gallery file not found"), missing.err());
        assertFalse(missing.out().contains("acc"));
    }
}
