package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.Tensor;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.refine.RefinementIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every broken bundle must fail at load time with a message naming the file and the problem. */
class ModelBundleTest {

    static final Path DEMO = Path.of("..", "sample-data", "demo-bundle");
    static final int CELLS = 71;
    static final int DIM = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void demoBundleLoadsWithAllParts() throws IOException {
        try (ModelBundle b = ModelBundle.load(DEMO)) {
            BundleManifest m = b.manifest();
            assertEquals("geopigeon-demo-untrained", m.name());
            assertFalse(m.trained());
            assertTrue(m.description().contains("NO geographic information"));
            assertEquals(CELLS, b.geocells().size());
            assertEquals(CELLS, b.head().numCells());
            assertEquals(DIM, b.head().dim());
            assertEquals(DIM, b.backbone().embeddingDim());
            assertEquals(224, b.backbone().inputSize());
            assertEquals(CELLS, b.refinement().orElseThrow().cells());
            assertEquals(List.of(0.48145466, 0.4578275, 0.40821073), m.backbone().mean());
            assertEquals(5, m.defaults().topK());
            // whole pipeline shape: image -> embedding -> probabilities over all cells
            float[] e = b.backbone().embed(new float[3 * 224 * 224], 1)[0];
            double[] p = b.head().probabilities(e);
            assertEquals(CELLS, p.length);
            assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
        }
    }

    @Test
    void missingFolder() {
        assertFails(tmp.resolve("nowhere"), "nowhere", "folder not found");
    }

    @Test
    void missingManifest() throws IOException {
        Path b = copyDemo();
        Files.delete(b.resolve("manifest.json"));
        assertFails(b, "manifest.json", "manifest missing");
    }

    @Test
    void manifestIsNotJson() throws IOException {
        Path b = copyDemo();
        Files.writeString(b.resolve("manifest.json"), "{ \"format\": ");
        assertFails(b, "manifest.json", "not valid JSON");
    }

    @Test
    void wrongFormatString() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> m.put("format", "geopigeon-bundle/99"));
        assertFails(b, "manifest.json", "'geopigeon-bundle/99', expected 'geopigeon-bundle/1'");
    }

    @Test
    void meanAndStdMustBeThreePositiveValues() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone")).putArray("std").add(0.2).add(0.0).add(0.3));
        assertFails(b, "manifest.json", "backbone.std must hold 3 positive numbers");
        editManifest(b, m -> ((ObjectNode) m.get("backbone")).putArray("std").add(0.2).add(0.3));
        assertFails(b, "manifest.json", "backbone.std must hold 3 values");
    }

    @Test
    void fileOutsideTheBundleIsRefused() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> m.put("head", "../elsewhere/head.safetensors"));
        assertFails(b, "manifest.json", "points outside the bundle folder");
    }

    @Test
    void missingBackboneFile() throws IOException {
        Path b = copyDemo();
        Files.delete(b.resolve("backbone.pt"));
        assertFails(b, "backbone.pt", "missing");
    }

    @Test
    void garbageBackboneFile() throws IOException {
        Path b = copyDemo();
        Files.writeString(b.resolve("backbone.pt"), "PK but not really a zip archive");
        assertFails(b, "backbone.pt", "not a loadable TorchScript module");
    }

    @Test
    void backboneOutputWidthDiffersFromManifest() throws IOException {
        Path b = copyDemo();
        // a valid TorchScript encoder producing 64 values per image
        Files.copy(Path.of("src/test/resources/golden/backbone/width64.pt"), b.resolve("backbone.pt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFails(b, "backbone.pt", "backbone outputs D = 64 but manifest.json says backbone.embeddingDim = 128");
    }

    @Test
    void manifestEmbeddingDimDiffersFromHead() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> ((ObjectNode) m.get("backbone")).put("embeddingDim", 256));
        assertFails(b, "head.safetensors", "D = 128 columns but manifest.json says backbone.embeddingDim = 256");
    }

    @Test
    void headCellCountDiffersFromGeocells() throws IOException {
        Path b = copyDemo();
        new GeocellHead(CELLS - 1, DIM, new float[(CELLS - 1) * DIM], new float[CELLS - 1]).write(b.resolve("head.safetensors"));
        assertFails(b, "head.safetensors", "C = 70 classes but geocells.geojson has 71 geocells");
    }

    @Test
    void nanInHeadWeights() throws IOException {
        Path b = copyDemo();
        float[] w = GeocellHeadFile.weights(b.resolve("head.safetensors"));
        w[5 * DIM + 7] = Float.NaN;
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("weight", Tensor.f32(w, CELLS, DIM));
        t.put("bias", Tensor.f32(new float[CELLS], CELLS));
        Safetensors.write(b.resolve("head.safetensors"), t, Map.of());
        assertFails(b, "head.safetensors", "tensor 'weight' holds a non-finite value (NaN) at flat index 647");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path b = copyDemo();
        Path head = b.resolve("head.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(head.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertFails(b, "head.safetensors", "truncated");
    }

    @Test
    void refinementDimensionDiffersFromBackbone() throws IOException {
        Path b = copyDemo();
        refinementIndex(CELLS, 64).write(b.resolve("refinement.safetensors"));
        assertFails(b, "refinement.safetensors", "dimension 64 but manifest.json says backbone.embeddingDim = 128");
    }

    @Test
    void refinementCellCountDiffersFromGeocells() throws IOException {
        Path b = copyDemo();
        refinementIndex(CELLS + 2, DIM).write(b.resolve("refinement.safetensors"));
        assertFails(b, "refinement.safetensors", "covers 73 cells but geocells.geojson has 71");
    }

    @Test
    void bundleWithoutRefinementLoads() throws IOException {
        Path b = copyDemo();
        editManifest(b, m -> m.putNull("refinement"));
        Files.delete(b.resolve("refinement.safetensors"));
        try (ModelBundle bundle = ModelBundle.load(b)) {
            assertTrue(bundle.refinement().isEmpty());
        }
    }

    @Test
    void invalidGeocellFile() throws IOException {
        Path b = copyDemo();
        Files.writeString(b.resolve("geocells.geojson"), "{\"type\": \"FeatureCollection\", \"features\": []}");
        assertFails(b, "geocells.geojson", "no features");
    }

    @Test
    void suppliedBackboneMustMatchTheManifest() throws IOException {
        Path b = copyDemo();
        boolean[] closed = {false};
        Backbone wrong = new Backbone() {
            public int inputSize() { return 224; }
            public int embeddingDim() { return 32; }
            public float[][] embed(float[] nchw, int n) { return new float[n][32]; }
            public String device() { return "cpu()"; }
            public void close() { closed[0] = true; }
        };
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(b, wrong));
        assertTrue(e.getMessage().contains("backbone outputs D = 32"), e.getMessage());
        assertTrue(closed[0], "a rejected backbone is closed");
    }

    private static RefinementIndex refinementIndex(int cells, int dim) {
        int[] cellOffsets = new int[cells + 1];
        for (int c = 0; c <= cells; c++) {
            cellOffsets[c] = c; // one cluster per cell
        }
        int[] memberOffsets = cellOffsets.clone(); // one member per cluster
        float[] latlon = new float[2 * cells];
        return RefinementIndex.of(dim, cellOffsets, new float[cells * dim], memberOffsets, new float[cells * dim], latlon);
    }

    private void assertFails(Path bundle, String file, String problem) {
        // fp32: these tests break backbone.pt, which auto skips for the bf16 variant on CPUs with native bf16
        BundleException e = assertThrows(BundleException.class,
                () -> ModelBundle.load(bundle, PrecisionChoice.FP32).close());
        assertTrue(e.getMessage().contains(file), () -> "message should name " + file + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "message should say '" + problem + "': " + e.getMessage());
        assertTrue(e.file().toString().endsWith(file), () -> e.file() + " should be " + file);
    }

    private Path copyDemo() throws IOException {
        return DemoBundleCopy.copy(DEMO, tmp);
    }

    private static void editManifest(Path bundle, Consumer<ObjectNode> edit) throws IOException {
        DemoBundleCopy.editManifest(bundle, edit);
    }

    /** Reads raw head weights without validation. */
    private static final class GeocellHeadFile {
        static float[] weights(Path file) throws IOException {
            return Safetensors.read(file).get("weight").toFloats();
        }
    }
}
