package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one serialisation of a fresh bundle manifest (the demo bundles are written with it). */
class ManifestWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void rewritesTheShippedDemoManifestsByteForByte(@TempDir Path dir) throws Exception {
        for (Path bundle : List.of(ModelBundleTest.DEMO, Path.of("..", "sample-data", "demo-clip-bundle"))) {
            Path shipped = bundle.resolve(ManifestWriter.FILE);
            BundleManifest m = MAPPER.readValue(shipped.toFile(), BundleManifest.class);
            Path written = ManifestWriter.write(m, dir);
            assertEquals(Files.readString(shipped), Files.readString(written), bundle.toString());
        }
    }

    @Test
    void leavesOutNullSectionsSortsVariantsAndReadsBackEqual(@TempDir Path dir) throws Exception {
        BundleManifest.Backbone backbone = new BundleManifest.Backbone("backbone.pt", 224, 224, 224, "bicubic",
                List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711), 128,
                "mean-all-tokens", false, Map.of("int8", "backbone.int8.pt", "bf16", "backbone.bf16.pt",
                "fp16", "backbone.fp16.pt"));
        BundleManifest m = new BundleManifest(BundleManifest.FORMAT, "clip-only", "no head yet", false, "MIT", "test",
                backbone, null, null, null, new BundleManifest.Defaults(5, 5, 1.6, 1000.0, 8));
        String json = Files.readString(ManifestWriter.write(m, dir));

        assertTrue(json.contains("\"head\": null"), "a bundle without a head says so");
        assertFalse(json.contains("\"clip\""), "absent optional sections are left out");
        assertFalse(json.contains("headSource"));
        assertTrue(json.indexOf("\"bf16\"") < json.indexOf("\"fp16\"") && json.indexOf("\"fp16\"") < json.indexOf("\"int8\""),
                "variants sorted by precision id");
        assertTrue(json.endsWith("}\n"));
        assertEquals(m, MAPPER.readValue(json, BundleManifest.class));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(ManifestWriter.FILE)), files.toList(), "no temporary file left");
        }
    }

    @Test
    void anUntrainedManifestSaysWhetherItsBackboneOrItsHeadIsUntrained() throws Exception {
        BundleManifest demo = MAPPER.readValue(ModelBundleTest.DEMO.resolve(ManifestWriter.FILE).toFile(),
                BundleManifest.class);
        assertTrue(demo.untrainedReason().startsWith("has a random, untrained backbone"), demo.untrainedReason());
        BundleManifest.Backbone real = new BundleManifest.Backbone("backbone.pt", 224, 224, 224, "bicubic", null, null,
                768, "cls", true, Map.of());
        BundleManifest untrainedHead = new BundleManifest(BundleManifest.FORMAT, "m", "", false, "", "", real, null,
                null, null, null);
        assertEquals("has an untrained geocell head", untrainedHead.untrainedReason());
        BundleManifest trained = new BundleManifest(BundleManifest.FORMAT, "m", "", true, "", "", real, null, null,
                null, null);
        assertEquals(null, trained.untrainedReason());
    }

    @Test
    void refusesAManifestWithoutFormatNameOrBackbone(@TempDir Path dir) {
        BundleManifest noBackbone = new BundleManifest(BundleManifest.FORMAT, "x", "", false, "", "", null, null, null,
                null, null);
        assertEquals("a manifest needs a name and a backbone section",
                assertThrows(IllegalArgumentException.class, () -> ManifestWriter.write(noBackbone, dir)).getMessage());
        BundleManifest wrongFormat = new BundleManifest("other/2", "x", "", false, "", "", null, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> ManifestWriter.write(wrongFormat, dir));
        assertFalse(Files.exists(dir.resolve(ManifestWriter.FILE)));
    }
}
