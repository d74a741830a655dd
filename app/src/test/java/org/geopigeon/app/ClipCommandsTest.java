package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geopigeon.app.TrainCommandTest.Run;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.clip.ZeroShotHead;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot}, {@code train --init zeroshot} and {@code pretrain} on the tiny demo CLIP bundle. */
class ClipCommandsTest {

    static final Path CLIP = Path.of("../sample-data/demo-clip-bundle");
    static final Path GEOCELLS = Path.of("../sample-data/demo-bundle/geocells.geojson");
    static final Path PHOTO = Path.of("../sample-data/photos/street_with_gps.jpg");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void zeroshotWritesABundleThatLocates() throws Exception {
        Path out = dir.resolve("zs");
        Path captions = dir.resolve("captions.tsv");
        Run r = TrainCommandTest.run("zeroshot", "--bundle", CLIP.toString(), "--geocells", GEOCELLS.toString(), "--out",
                out.toString(), "--save-captions", captions.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode m = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals("clip-image", m.path("headInput").asText());
        assertEquals("zeroshot", m.path("headSource").path("method").asText());
        assertFalse(m.path("trained").asBoolean(), "random demo towers: untrained");
        assertTrue(Files.readAllLines(captions).contains("0\tUSA\tA street near New York City, the United States."));

        // The head written equals the one built from the same captions in the engine, row for row.
        GeocellSet cells = GeocellGeoJson.read(GEOCELLS);
        List<List<String>> caps = new GeocellCaptioner(CaptionData.shipped(), GeocellCaptioner.Options.defaults()).captions(cells);
        GeocellHead expected;
        try (ClipModel clip = ClipModel.load(CLIP)) {
            expected = ZeroShotHead.build(caps, clip, 16, null);
        }
        GeocellHead written = GeocellHead.read(out.resolve("head.safetensors"));
        assertArrayEquals(expected.weights(), written.weights(), 1e-5f);

        try (ModelBundle b = ModelBundle.load(out)) {
            assertEquals(64, b.backbone().embeddingDim(), "the head takes CLIP's 64-d projected embedding");
            assertTrue(b.manifest().headTakesClipImage());
        }
        Run locate = TrainCommandTest.run("locate", "--bundle", out.toString(), "--json", PHOTO.toString());
        assertEquals(0, locate.exitCode(), locate.err());
        JsonNode p = JSON.readTree(locate.out().lines().findFirst().orElseThrow());
        assertEquals(5, p.path("top_cells").size(), locate.out());
    }

    @Test
    void zeroshotNeedsATextTower() throws Exception {
        Run r = TrainCommandTest.run("zeroshot", "--bundle", "../sample-data/demo-bundle", "--geocells", GEOCELLS.toString(),
                "--out", dir.resolve("x").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no 'clip' section"), r.err());
        assertFalse(r.err().contains("captions for"), "refused before the captions are built: " + r.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void trainStartsFromTheZeroShotHead() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        GeocellSet cells = GeocellGeoJson.read(GEOCELLS);
        StringBuilder csv = new StringBuilder("file,lat,lon\n");
        for (int i = 0; i < 8; i++) {
            TrainCommandTest.writePng(photos.resolve("p" + i + ".png"), i);
            LatLon c = cells.get(i % 4).centroid();
            csv.append("p").append(i).append(".png,").append(c.lat()).append(',').append(c.lon()).append('\n');
        }
        Path locations = dir.resolve("locations.csv");
        Files.writeString(locations, csv);
        Path out = dir.resolve("trained");
        Run r = TrainCommandTest.run("train", "--photos", photos.toString(), "--locations", locations.toString(), "--geocells",
                GEOCELLS.toString(), "--out", out.toString(), "--base-bundle", CLIP.toString(), "--init", "zeroshot",
                "--epochs", "1", "--no-refinement");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("embedded 837 captions for 71 geocells"), r.err());
        JsonNode m = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals("clip-image", m.path("headInput").asText());
        assertEquals("train-from-zeroshot", m.path("headSource").path("method").asText());
        try (ModelBundle b = ModelBundle.load(out)) {
            assertEquals(71, b.head().numCells());
        }
        Run bad = TrainCommandTest.run("train", "--gallery", "g", "--geocells", GEOCELLS.toString(), "--out", "x", "--init", "magic");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--init must be 'random' or 'zeroshot'"), bad.err());
    }

    @Test
    void pretrainWritesACaptionPretrainedClipBundleThatZeroshotAccepts() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        StringBuilder csv = new StringBuilder("file,lat,lon\n");
        double[][] where = {{48.85, 2.35}, {35.68, 139.69}, {-33.87, 151.21}, {40.71, -74.0}, {-23.55, -46.63}, {30.04, 31.24}};
        for (int i = 0; i < where.length; i++) {
            TrainCommandTest.writePng(photos.resolve("p" + i + ".png"), 10 + i);
            csv.append("p").append(i).append(".png,").append(where[i][0]).append(',').append(where[i][1]).append('\n');
        }
        Path locations = dir.resolve("locations.csv");
        Files.writeString(locations, csv);
        Path out = dir.resolve("pretrained");
        Run r = TrainCommandTest.run("pretrain", "--bundle", CLIP.toString(), "--photos", photos.toString(), "--locations",
                locations.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString(), "--epochs", "2",
                "--batch", "3", "--lr", "1e-3", "--trainable-blocks", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("epoch 2/2  contrastive loss"), r.err());
        assertFalse(Files.isSameFile(out.resolve("backbone.pt"), CLIP.resolve("backbone.pt")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out.resolve("backbone.pt")),
                Files.readAllBytes(CLIP.resolve("backbone.pt"))), "the vision tower changed");
        BundleManifest m = ModelBundle.readManifestOf(out);
        assertTrue(m.provenance().contains("geopigeon pretrain"), m.provenance());
        assertTrue(m.backbone().variants().isEmpty(), "the base's precision variants hold the old weights: not kept");
        assertFalse(Files.exists(out.resolve("backbone.bf16.pt")), "the stale bf16 file is not copied");
        Run zs = TrainCommandTest.run("zeroshot", "--bundle", out.toString(), "--geocells", GEOCELLS.toString(), "--out",
                dir.resolve("zs").toString());
        assertEquals(0, zs.exitCode(), zs.err());

        Run again = TrainCommandTest.run("pretrain", "--bundle", CLIP.toString(), "--photos", photos.toString(), "--locations",
                locations.toString(), "--geocells", GEOCELLS.toString(), "--out", out.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
        Run badBatch = TrainCommandTest.run("pretrain", "--bundle", CLIP.toString(), "--photos", photos.toString(),
                "--geocells", GEOCELLS.toString(), "--out", dir.resolve("y").toString(), "--batch", "1");
        assertEquals(2, badBatch.exitCode());
        assertTrue(badBatch.err().contains("a contrastive batch needs negatives"), badBatch.err());
    }
}
