package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.geopigeon.engine.model.CpuFeatures;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backbone.variants in the manifest, and choosing among them at load time (issue 9). */
class ModelBundlePrecisionTest {

    static final Path DEMO = Path.of("..", "sample-data", "demo-bundle");

    @TempDir
    Path tmp;

    @Test
    void theManifestListsTheDemoVariants() throws IOException {
        try (ModelBundle b = ModelBundle.load(DEMO, PrecisionChoice.FP32)) {
            assertEquals(Map.of("bf16", "backbone.bf16.pt", "int8", "backbone.int8.pt"), b.manifest().backbone().variants());
            assertEquals(Precision.FP32, b.backbone().precision());
            assertEquals("requested", b.precisionReason());
            assertTrue(b.toString().contains("precision=fp32"), b.toString());
        }
    }

    @Test
    void autoLoadsBf16ExactlyWhenThisCpuHasNativeBf16() throws IOException {
        Precision expected = CpuFeatures.detect().nativeBf16() ? Precision.BF16 : Precision.FP32;
        try (ModelBundle b = ModelBundle.load(DEMO, PrecisionChoice.AUTO)) {
            assertEquals(expected, b.backbone().precision(), b.precisionReason());
            assertTrue(b.precisionReason().startsWith("auto: "), b.precisionReason());
        }
    }

    @Test
    void theSystemPropertySetsTheDefaultChoice() throws IOException {
        String old = System.getProperty(PrecisionChoice.PROPERTY);
        try {
            System.setProperty(PrecisionChoice.PROPERTY, "int8");
            try (ModelBundle b = ModelBundle.load(DEMO)) {
                assertEquals(Precision.INT8, b.backbone().precision());
            }
            System.setProperty(PrecisionChoice.PROPERTY, "int4");
            BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(DEMO).close());
            assertTrue(e.getMessage().contains("system property geopigeon.precision: unknown precision 'int4'"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(PrecisionChoice.PROPERTY);
            } else {
                System.setProperty(PrecisionChoice.PROPERTY, old);
            }
        }
    }

    @Test
    void aBundleWithoutVariantsRunsFp32OnAutoAndRefusesAFixedBf16() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone")).remove("variants"));
        try (ModelBundle bundle = ModelBundle.load(b, PrecisionChoice.AUTO)) {
            assertEquals(Precision.FP32, bundle.backbone().precision());
        }
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(b, PrecisionChoice.BF16).close());
        assertTrue(e.getMessage().contains("backbone.pt"), e.getMessage());
        assertTrue(e.getMessage().contains("no bf16 backbone variant"), e.getMessage());
        assertTrue(e.getMessage().contains("tools/export_precision_variants.py"), e.getMessage());
    }

    @Test
    void fp16IsRefusedOnTheCpu() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone").get("variants")).put("fp16", "backbone.bf16.pt"));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(b, PrecisionChoice.FP16).close());
        assertTrue(e.getMessage().contains("runs only on a CUDA GPU"), e.getMessage());
    }

    @Test
    void aMissingVariantFileIsNamed() throws IOException {
        Path b = copyDemo();
        Files.delete(b.resolve("backbone.int8.pt"));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(b, PrecisionChoice.INT8).close());
        assertTrue(e.file().toString().endsWith("backbone.int8.pt"), e.file().toString());
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        try (ModelBundle fp32 = ModelBundle.load(b, PrecisionChoice.FP32)) {
            assertEquals(Precision.FP32, fp32.backbone().precision(), "other precisions still load");
        }
    }

    @Test
    void aMislabelledVariantFailsAtLoad() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone").get("variants")).put("bf16", "backbone.int8.pt"));
        BundleException swapped = assertThrows(BundleException.class, () -> ModelBundle.load(b, PrecisionChoice.BF16).close());
        assertTrue(swapped.getMessage().contains("expected a bf16 backbone but the file declares int8"), swapped.getMessage());
        editManifest(b, m -> ((ObjectNode) m.get("backbone").get("variants")).put("bf16", "backbone.pt"));
        BundleException plain = assertThrows(BundleException.class, () -> ModelBundle.load(b, PrecisionChoice.BF16).close());
        assertTrue(plain.getMessage().contains("declares no precision (a plain fp32 export)"), plain.getMessage());
    }

    @Test
    void badVariantEntriesAreRejectedWithTheField() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone").get("variants")).put("fp8", "backbone.int8.pt"));
        assertFails(b, "backbone.variants: unknown precision 'fp8'");
        editManifest(b, m -> {
            ObjectNode v = (ObjectNode) m.get("backbone").get("variants");
            v.remove("fp8");
            v.put("fp32", "backbone.pt");
        });
        assertFails(b, "backbone.variants lists fp32");
        editManifest(b, m -> {
            ObjectNode v = (ObjectNode) m.get("backbone").get("variants");
            v.remove("fp32");
            v.put("int8", "../../etc/passwd");
        });
        assertFails(b, "'backbone.variants.int8' = '../../etc/passwd' points outside the bundle folder");
    }

    private void assertFails(Path bundle, String problem) {
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(bundle, PrecisionChoice.FP32).close());
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "message should say '" + problem + "': " + e.getMessage());
    }

    private Path copyDemo() throws IOException {
        return DemoBundleCopy.copy(DEMO, tmp);
    }

    private static void editManifest(Path bundle, Consumer<ObjectNode> edit) throws IOException {
        DemoBundleCopy.editManifest(bundle, edit);
    }
}
