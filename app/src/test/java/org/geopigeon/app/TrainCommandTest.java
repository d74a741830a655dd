package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.train.Gallery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geopigeon train} (and the evaluation of what it writes) on the demo bundle's backbone and geocells. */
class TrainCommandTest {

    static final Path BUNDLE = Path.of("../sample-data/demo-bundle");
    static final Path GEOCELLS = BUNDLE.resolve("geocells.geojson");
    private static final ObjectMapper JSON = new ObjectMapper();

    static GeocellSet cells;
    static int dim;

    @TempDir
    Path dir;

    @BeforeAll
    static void demo() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(BUNDLE.resolve("manifest.json")), "demo bundle not built at " + BUNDLE.toAbsolutePath());
        cells = GeocellGeoJson.read(GEOCELLS);
        dim = JSON.readTree(BUNDLE.resolve("manifest.json").toFile()).path("backbone").path("embeddingDim").asInt();
    }

    /** 40 photos near each of the first six cell centroids; embedding = 3 x one-hot(cell) + noise: separable. */
    static Gallery separableGallery(int d) {
        Random r = new Random(3);
        List<float[]> e = new ArrayList<>();
        List<LatLon> p = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            LatLon centre = cells.get(c).centroid();
            for (int i = 0; i < 40; i++) {
                float[] v = new float[d];
                for (int j = 0; j < d; j++) {
                    v[j] = (float) (0.2 * r.nextGaussian());
                }
                v[c % d] += 3;
                e.add(v);
                p.add(new LatLon(centre.lat() + (r.nextDouble() - 0.5) * 0.4, centre.lon() + (r.nextDouble() - 0.5) * 0.4));
            }
        }
        return Gallery.of(e, p);
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GeoPigeonCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainsFromAGalleryAndWritesALoadableTrainedBundle() throws Exception {
        Path gallery = dir.resolve("gallery.safetensors");
        separableGallery(dim).write(gallery, true);
        Path out = dir.resolve("trained");
        Run r = run("train", "--gallery", gallery.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString(),
                "--base-bundle", BUNDLE.toString(), "--epochs", "6", "--lr", "0.05", "--batch", "32", "--seed", "5");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("epoch   1/6"), r.err());
        assertTrue(r.err().contains("refinement index: " + cells.size() + " cells"), r.err());

        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertFalse(manifest.path("trained").asBoolean(), "the demo backbone is random, so the model stays untrained");
        assertTrue(manifest.path("description").asText().contains("no geographic information"));
        assertEquals("trained", manifest.path("name").asText());
        assertTrue(manifest.path("provenance").asText().contains("gallery.safetensors (240 rows, D=" + dim + ")"),
                manifest.path("provenance").asText());
        assertEquals("refinement.safetensors", manifest.path("refinement").asText());
        assertFalse(Files.exists(out.resolve("README.md")), "the base bundle's README describes other weights");
        try (ModelBundle b = ModelBundle.load(out)) {
            assertEquals(cells.size(), b.head().numCells());
            int members = b.refinement().orElseThrow().members();
            assertTrue(members > 120 && members <= 240, "OPTICS keeps clustered photos, drops noise: " + members);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".trained")), "temporary folder removed");
        }

        Path png = dir.resolve("cdf.png");
        Run e = run("evaluate", "--bundle", out.toString(), "--gallery", gallery.toString(), "--json", "--plot", png.toString());
        assertEquals(0, e.exitCode(), e.err());
        JsonNode report = JSON.readTree(e.out());
        assertEquals(240, report.path("count").asInt());
        assertTrue(report.path("geocellTop1").asDouble() > 0.9, e.out());
        assertTrue(report.path("accuracy").path("750km").asDouble() > 0.9, e.out());
        BufferedImage plot = ImageIO.read(png.toFile());
        assertEquals(900, plot.getWidth());
    }

    @Test
    void writesNothingWhenTheGalleryDoesNotFitTheBackbone() throws Exception {
        Path gallery = dir.resolve("small.safetensors");
        separableGallery(16).write(gallery, false);
        Path out = dir.resolve("never");
        Run r = run("train", "--gallery", gallery.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString(),
                "--base-bundle", BUNDLE.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("D = 16") && r.err().contains("D = " + dim), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesToOverwriteAnExistingBundle() throws Exception {
        Path gallery = dir.resolve("g.safetensors");
        separableGallery(dim).write(gallery, true);
        Path out = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Run r = run("train", "--gallery", gallery.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString(),
                "--base-bundle", BUNDLE.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("already exists"), r.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void photosWithoutGpsAreCountedAndNothingIsWritten() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 3; i++) {
            writePng(photos.resolve("p" + i + ".png"), i);
        }
        Files.writeString(photos.resolve("broken.jpg"), "not an image");
        Path out = dir.resolve("nogps");
        Run r = run("train", "--photos", photos.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString(),
                "--base-bundle", BUNDLE.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("none of the 4 photos is usable (1 unreadable or missing, 3 without a GPS position"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void embedsPhotosListedInALocationsCsvAndSavesTheGallery() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        StringBuilder csv = new StringBuilder("File,Lat,Lon\n");
        for (int i = 0; i < 12; i++) {
            writePng(photos.resolve("p" + i + ".png"), i);
            LatLon c = cells.get(i % 3).centroid();
            csv.append("p").append(i).append(".png,").append(c.lat()).append(',').append(c.lon()).append('\n');
        }
        csv.append("missing.png,1,2\n");
        Path locations = dir.resolve("locations.csv");
        Files.writeString(locations, csv);
        Path saved = dir.resolve("saved.safetensors");
        Path out = dir.resolve("fromphotos");
        Run r = run("train", "--photos", photos.toString(), "--locations", locations.toString(), "--geocells", GEOCELLS.toString(),
                "--out", out.toString(), "--base-bundle", BUNDLE.toString(), "--epochs", "2", "--save-gallery", saved.toString(),
                "--no-refinement");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skip missing.png"), r.err());
        assertTrue(r.err().contains("12 of 13 photos embedded, 1 rejected"), r.err());
        Gallery g = Gallery.read(saved);
        assertEquals(12, g.size());
        assertEquals(dim, g.dim());
        assertTrue(JSON.readTree(out.resolve("manifest.json").toFile()).path("refinement").isNull());
    }

    @Test
    void rejectsBadSettingsOnTheCommandLine() {
        Run r = run("train", "--gallery", "g", "--geocells", GEOCELLS.toString(), "--out", "x", "--smoothing", "gauss");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown smoothing 'gauss'"), r.err());
        Run both = run("train", "--gallery", "g", "--photos", "p", "--geocells", GEOCELLS.toString(), "--out", "x");
        assertEquals(2, both.exitCode());
    }

    static void writePng(Path p, int seed) throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, new Color(r.nextInt(256), (x * 4) % 256, (y * 5) % 256).getRGB());
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }
}
