package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code geopigeon locate} in-process against the shipped demo bundle. */
class LocateCommandTest {

    /** Tests run in the app module folder. */
    private static final Path BUNDLE = Path.of("../sample-data/demo-bundle");
    private static final Path SHARED_PHOTOS = Path.of("../../shared/data/photos");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String modelName;
    private static boolean trained;
    private static int cellCount;

    @TempDir
    Path dir;

    @BeforeAll
    static void readBundle() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(BUNDLE.resolve("manifest.json")),
                "demo bundle not built yet at " + BUNDLE.toAbsolutePath());
        JsonNode manifest = JSON.readTree(BUNDLE.resolve("manifest.json").toFile());
        modelName = manifest.path("name").asText();
        trained = manifest.path("trained").asBoolean();
        cellCount = GeocellGeoJson.read(BUNDLE.resolve(manifest.path("geocells").asText())).size();
    }

    @Test
    void printsOneJsonLinePerImageAndReportsTheBadFileByName() throws IOException {
        Path png = write(gradient(320, 200), "png", "street.png");
        Path jpg = write(noise(500, 375, 7), "jpg", "field.jpg");
        Path small = write(gradient(64, 97), "png", "tiny.png");
        Path bad = dir.resolve("photo.jpg");
        Files.writeString(bad, "hello, I am not a photo");

        Run run = run("locate", "--bundle", BUNDLE.toString(), "--json", "--top-k", "5",
                png.toString(), bad.toString(), jpg.toString(), small.toString());

        assertEquals(1, run.exitCode, "one file failed: " + run.err);
        assertTrue(run.err.contains("error: " + bad + ": is not a JPEG, PNG or WebP image"), run.err);
        assertTrue(run.err.contains("it looks like text"), run.err);
        assertTrue(run.err.contains("1 of 4 images failed"), run.err);

        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(List.of(png.toString(), jpg.toString(), small.toString()),
                lines.stream().map(l -> l.get("file").asText()).toList(), "good files, in command-line order");
        for (JsonNode l : lines) {
            assertTrue(LatLon.isValid(l.get("lat").asDouble(Double.NaN), l.get("lon").asDouble(Double.NaN)), l.toString());
            assertTrue(l.get("refined").isBoolean());
            double confidence = l.get("confidence").asDouble(-1);
            assertTrue(confidence >= 0 && confidence <= 1, l.toString());

            JsonNode cells = l.get("top_cells");
            assertEquals(Math.min(5, cellCount), cells.size());
            double sum = 0;
            double previous = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cells.size(); i++) {
                JsonNode c = cells.get(i);
                assertEquals(i + 1, c.get("rank").asInt());
                assertFalse(c.get("cell_id").asText().isEmpty());
                for (String field : List.of("name", "admin1", "country")) {
                    assertTrue(c.get(field).isTextual(), field + " in " + c);
                }
                double p = c.get("probability").asDouble(-1);
                assertTrue(p >= 0 && p <= previous, "sorted by probability: " + cells);
                previous = p;
                sum += p;
            }
            assertTrue(sum <= 1 + 1e-9, "probabilities of the top cells sum to " + sum);

            JsonNode centroid = l.get("top_cell_centroid");
            assertTrue(LatLon.isValid(centroid.get("lat").asDouble(), centroid.get("lon").asDouble()));
            if (!l.get("refined").asBoolean()) {
                assertEquals(centroid.get("lat").asDouble(), l.get("lat").asDouble(), 0, "unrefined -> the top centroid");
                assertEquals(centroid.get("lon").asDouble(), l.get("lon").asDouble(), 0);
            }
            assertTrue(l.get("exif_gps").isNull(), "synthetic images carry no EXIF");

            JsonNode t = l.get("timings_ms");
            double parts = 0;
            for (String stage : List.of("decode", "preprocess", "backbone", "head", "refine")) {
                assertTrue(t.get(stage).asDouble(-1) >= 0, stage + " in " + t);
                parts += t.get(stage).asDouble();
            }
            assertTrue(t.get("decode").asDouble() > 0 && t.get("backbone").asDouble() > 0, t.toString());
            assertEquals(parts, t.get("total").asDouble(), 0.01);
            assertEquals(modelName, l.get("model").asText());
        }
        if (!trained) {
            String warning = "WARNING: model '" + modelName + "' has a random, untrained backbone";
            assertEquals(run.err.indexOf(warning), run.err.lastIndexOf(warning), "warned once: " + run.err);
            assertTrue(run.err.contains(warning), run.err);
        }
    }

    @Test
    void theServiceRulesApplyWithoutTheServiceToo() throws IOException {
        // The same rules as the HTTP service and the WPS process: under 32 px on a side is refused, in its place.
        Path a = write(gradient(320, 200), "png", "a.png");
        Path tiny = write(gradient(31, 400), "png", "tiny.png");
        Path b = write(noise(200, 150, 2), "jpg", "b.jpg");

        Run run = run("locate", "--bundle", BUNDLE.toString(), "--json", a.toString(), tiny.toString(), b.toString());

        assertEquals(1, run.exitCode, run.err);
        assertTrue(run.err.contains("error: " + tiny + ": is 31 x 400 pixels; at least 32 x 32 is needed"), run.err);
        assertEquals(List.of(a.toString(), b.toString()),
                jsonLines(run.out).stream().map(l -> l.get("file").asText()).toList());
    }

    @Test
    void noRefineReportsTheTopCellCentroid() throws IOException {
        Path png = write(noise(200, 200, 3), "png", "a.png");
        Run run = run("locate", "--bundle", BUNDLE.toString(), "--json", "--no-refine", png.toString());
        assertEquals(0, run.exitCode, run.err);
        JsonNode l = jsonLines(run.out).get(0);
        assertFalse(l.get("refined").asBoolean());
        assertEquals(l.get("top_cell_centroid").get("lat").asDouble(), l.get("lat").asDouble(), 0);
        assertEquals(l.get("top_cell_centroid").get("lon").asDouble(), l.get("lon").asDouble(), 0);
        assertEquals(0.0, l.get("timings_ms").get("refine").asDouble());
    }

    @Test
    void panoramaGroupsEveryFourFilesIntoOnePrediction() throws IOException {
        List<String> views = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            views.add(write(noise(160, 120, i), "png", "view" + i + ".png").toString());
        }
        List<String> args = new ArrayList<>(List.of("locate", "--bundle", BUNDLE.toString(), "--json", "--panorama"));
        args.addAll(views);
        Run run = run(args.toArray(String[]::new));

        assertEquals(0, run.exitCode, run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(2, lines.size());
        for (int p = 0; p < 2; p++) {
            JsonNode file = lines.get(p).get("file");
            assertTrue(file.isArray());
            List<String> names = new ArrayList<>();
            file.forEach(f -> names.add(f.asText()));
            assertEquals(views.subList(4 * p, 4 * p + 4), names);
        }
    }

    @Test
    void batchedImagesComeOutInInputOrderWithTheSameAnswersAsEachFileAlone() throws IOException {
        // 10 images and a bad file: the demo bundle's batchSize of 8 makes two batches.
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            BufferedImage img = i % 3 == 0 ? gradient(120 + 40 * i, 200) : noise(90 + 25 * i, 150, 100 + i);
            files.add(write(img, i % 2 == 0 ? "png" : "jpg", "img" + i + (i % 2 == 0 ? ".png" : ".jpg")).toString());
        }
        Path bad = dir.resolve("broken.jpg");
        Files.writeString(bad, "not an image either");
        List<String> withBad = new ArrayList<>(files);
        withBad.add(3, bad.toString());

        Run run = run(locateJson(withBad));

        assertEquals(1, run.exitCode, run.err);
        assertTrue(run.err.contains("error: " + bad + ": is not a JPEG, PNG or WebP image"), run.err);
        assertTrue(run.err.contains("1 of 11 images failed"), run.err);
        assertTrue(run.err.contains("11/11 images (100%)"), "progress counts every file: " + run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(files, lines.stream().map(l -> l.get("file").asText()).toList(), "input order, bad file left out");
        for (int i = 0; i < files.size(); i++) {
            JsonNode t = lines.get(i).get("timings_ms");
            assertTrue(t.get("decode").asDouble() > 0 && t.get("backbone").asDouble() > 0, "each image's own times: " + t);
            Run alone = run(locateJson(List.of(files.get(i))));
            assertEquals(0, alone.exitCode, alone.err);
            assertSameAnswer(jsonLines(alone.out).get(0), lines.get(i));
        }
    }

    @Test
    void panoramasAreBatchedTwoAtATimeWithTheSameAnswersAsEachPanoramaAlone() throws IOException {
        // 3 panoramas of 4 views; the third has a bad view, so the first batch holds two panoramas.
        List<String> views = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            views.add(write(noise(160 + 8 * i, 120, 50 + i), "png", "pano" + i + ".png").toString());
        }
        Path bad = dir.resolve("pano9.png");
        Files.writeString(bad, "");

        List<String> args = new ArrayList<>(locateJsonArgs());
        args.add("--panorama");
        args.addAll(views);
        Run run = run(args.toArray(String[]::new));

        assertEquals(1, run.exitCode, run.err);
        assertTrue(run.err.contains("error: " + bad + ": is empty"), run.err);
        assertTrue(run.err.contains("1 of 3 panoramas failed"), run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(2, lines.size(), run.out);
        for (int p = 0; p < 2; p++) {
            List<String> pano = views.subList(4 * p, 4 * p + 4);
            List<String> aloneArgs = new ArrayList<>(locateJsonArgs());
            aloneArgs.add("--panorama");
            aloneArgs.addAll(pano);
            Run alone = run(aloneArgs.toArray(String[]::new));
            assertEquals(0, alone.exitCode, alone.err);
            assertSameAnswer(jsonLines(alone.out).get(0), lines.get(p));
        }
    }

    private static List<String> locateJsonArgs() {
        return List.of("locate", "--bundle", BUNDLE.toString(), "--json", "--top-k", "5");
    }

    private static String[] locateJson(List<String> files) {
        List<String> args = new ArrayList<>(locateJsonArgs());
        args.addAll(files);
        return args.toArray(String[]::new);
    }

    /** Batching may only add float noise: same files, same cells in the same order, near-equal numbers. */
    private static void assertSameAnswer(JsonNode expected, JsonNode actual) {
        String where = actual.get("file").toString();
        assertEquals(expected.get("file"), actual.get("file"));
        assertEquals(expected.get("lat").asDouble(), actual.get("lat").asDouble(), 1e-6, where);
        assertEquals(expected.get("lon").asDouble(), actual.get("lon").asDouble(), 1e-6, where);
        assertEquals(expected.get("refined"), actual.get("refined"), where);
        assertEquals(expected.get("confidence").asDouble(), actual.get("confidence").asDouble(), 1e-5, where);
        JsonNode e = expected.get("top_cells");
        JsonNode a = actual.get("top_cells");
        assertEquals(e.size(), a.size(), where);
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).get("cell_id"), a.get(i).get("cell_id"), where + " rank " + (i + 1));
            assertEquals(e.get(i).get("probability").asDouble(), a.get(i).get("probability").asDouble(), 1e-5,
                    where + " rank " + (i + 1));
        }
    }

    @Test
    void panoramaWithAWrongFileCountIsAUsageError() throws IOException {
        Path a = write(gradient(50, 50), "png", "a.png");
        Run run = run("locate", "--bundle", BUNDLE.toString(), "--panorama", a.toString(), a.toString(), a.toString());
        assertEquals(2, run.exitCode);
        assertTrue(run.err.contains("--panorama needs a multiple of 4 files"), run.err);

        Run k = run("locate", "--bundle", BUNDLE.toString(), "--top-k", "0", a.toString());
        assertEquals(2, k.exitCode);
        assertTrue(k.err.contains("topK must be between 1 and 50"), k.err);
    }

    @Test
    void tableOutputShowsLocationConfidenceAndTopCells() throws IOException {
        Path a = write(gradient(300, 200), "png", "harbour.png");
        Path b = write(noise(300, 200, 1), "jpg", "market.jpg");
        Run run = run("locate", "--bundle", BUNDLE.toString(), a.toString(), b.toString());

        assertEquals(0, run.exitCode, run.err);
        String[] rows = run.out.strip().split("\\R");
        assertEquals(3, rows.length, run.out);
        assertTrue(rows[0].startsWith("FILE") && rows[0].contains("CONF") && rows[0].contains("GPS (SOURCE)"), rows[0]);
        assertTrue(rows[1].startsWith(a.toString()) && rows[1].contains("%"), rows[1]);
        assertTrue(rows[2].startsWith(b.toString()), rows[2]);
        assertTrue(run.err.contains("2/2 images (100%)"), "progress on stderr when not a terminal: " + run.err);
    }

    @Test
    void reportsExifGpsOfRealPhotos() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(SHARED_PHOTOS), "shared photos not available");
        List<String> photos;
        try (Stream<Path> s = Files.list(SHARED_PHOTOS)) {
            photos = s.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().limit(4).map(Path::toString).toList();
        }
        Assumptions.assumeFalse(photos.isEmpty());
        List<String> args = new ArrayList<>(List.of("locate", "--bundle", BUNDLE.toString(), "--json", "--top-k", "3"));
        args.addAll(photos);
        Run run = run(args.toArray(String[]::new));

        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(photos.size(), lines.size() + countErrors(run.err), run.err);
        boolean anyGps = false;
        for (JsonNode l : lines) {
            JsonNode gps = l.get("exif_gps");
            if (!gps.isNull()) {
                anyGps = true;
                assertTrue(LatLon.isValid(gps.get("lat").asDouble(), gps.get("lon").asDouble()), gps.toString());
            }
        }
        assertTrue(anyGps, "the shared photos carry GPS ground truth: " + run.out);
    }

    @Test
    void aMissingBundleIsReportedClearly() throws IOException {
        Path a = write(gradient(50, 50), "png", "a.png");
        Run run = run("locate", "--bundle", dir.resolve("no-such-bundle").toString(), a.toString());
        assertEquals(1, run.exitCode);
        assertTrue(run.err.contains("cannot load model bundle") && run.err.contains("no-such-bundle"), run.err);
    }

    private static int countErrors(String err) {
        return (int) err.lines().filter(l -> l.startsWith("error: ") && !l.contains(" failed")).count();
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                assertNotNull(n);
                assertTrue(n.isObject(), line);
                nodes.add(n);
            }
        }
        return nodes;
    }

    private Path write(BufferedImage img, String format, String name) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, f.toFile()), "no ImageIO writer for " + format);
        return f;
    }

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 200), w, h, new Color(230, 200, 90)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static BufferedImage noise(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CliCapture.Result r = CliCapture.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }
}
