package org.geopigeon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geopigeon.engine.io.Safetensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL must reproduce what Python's torch computes for the shipped demo backbone. */
class TorchScriptBackboneTest {

    static final Path DEMO_BACKBONE = Path.of("..", "sample-data", "demo-bundle", "backbone.pt");
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "backbone");
    static final int S = 224;
    static final int D = 128;

    private static TorchScriptBackbone backbone;
    private static float[][] expected;

    @BeforeAll
    static void load() throws Exception {
        Path golden = GOLDEN.resolve("demo_backbone.safetensors");
        String sha = Safetensors.metadata(golden).get("backbone_sha256");
        assertEquals(sha, sha256(DEMO_BACKBONE),
                "golden outputs were made for another backbone.pt: rerun /usr/bin/python3 tools/build_demo_bundle.py");
        float[] flat = Safetensors.read(golden).get("outputs").toFloats();
        expected = new float[3][];
        for (int k = 0; k < 3; k++) {
            expected[k] = java.util.Arrays.copyOfRange(flat, k * D, (k + 1) * D);
        }
        backbone = TorchScriptBackbone.load(DEMO_BACKBONE, S);
    }

    @AfterAll
    static void close() {
        if (backbone != null) {
            backbone.close();
        }
    }

    /** Same formula as tools/build_demo_bundle.py golden_inputs: exact in float32 in both languages. */
    static float[] goldenInput(int k) {
        float[] v = new float[3 * S * S];
        for (int i = 0; i < v.length; i++) {
            long h = ((i + 1000003L * k + 1) * 2654435761L) & 0xFFFFFFFFL;
            v[i] = (float) ((h >>> 8) / 16777216.0 * 4 - 2);
        }
        return v;
    }

    @Test
    void reportsShapeAndDevice() {
        assertEquals(S, backbone.inputSize());
        assertEquals(D, backbone.embeddingDim());
        assertTrue(backbone.device().startsWith("cpu") || backbone.device().startsWith("gpu"), backbone.device());
    }

    @Test
    void batchOfThreeMatchesPythonWithin1e4() {
        float[] batch = new float[3 * 3 * S * S];
        for (int k = 0; k < 3; k++) {
            System.arraycopy(goldenInput(k), 0, batch, k * 3 * S * S, 3 * S * S);
        }
        float[][] out = backbone.embed(batch, 3);
        assertEquals(3, out.length);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(expected[k], out[k], 1e-4f, "image " + k);
        }
    }

    @Test
    void singleImagesMatchPythonWithin1e4() {
        for (int k = 0; k < 3; k++) {
            float[][] out = backbone.embed(goldenInput(k), 1);
            assertArrayEquals(expected[k], out[0], 1e-4f, "image " + k);
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<float[][]>[] f = new Future[3];
            for (int k = 0; k < 3; k++) {
                int kk = k;
                f[k] = pool.submit(() -> backbone.embed(goldenInput(kk), 1));
            }
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(expected[k], f[k].get()[0], 1e-4f, "image " + k);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsInputOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backbone.embed(new float[10], 1));
        assertTrue(e.getMessage().contains("3x224x224"), e.getMessage());
    }

    @Test
    void garbageFileFailsWithItsName(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("garbage.pt");
        Files.writeString(bad, "this is not a TorchScript archive");
        IOException e = assertThrows(IOException.class, () -> TorchScriptBackbone.load(bad, S));
        assertTrue(e.getMessage().contains("garbage.pt") && e.getMessage().contains("TorchScript"), e.getMessage());
    }

    @Test
    void missingFileFailsWithItsName(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> TorchScriptBackbone.load(dir.resolve("nope.pt"), S));
        assertTrue(e.getMessage().contains("nope.pt") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void moduleWithWrongOutputRankFailsAtLoad() {
        IOException e = assertThrows(IOException.class, () -> TorchScriptBackbone.load(GOLDEN.resolve("identity.pt"), S));
        assertTrue(e.getMessage().contains("identity.pt") && e.getMessage().contains("[1, 3, 224, 224]")
                && e.getMessage().contains("expected [1, D]"), e.getMessage());
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            md.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
