package org.geopigeon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeocellHeadTest {

    // 2 cells, 3 dimensions: row 0 = (1, 2, 3), row 1 = (-1, 0, 0.5)
    private final GeocellHead head = new GeocellHead(2, 3, new float[] {1, 2, 3, -1, 0, 0.5f}, new float[] {0.5f, -1});

    @Test
    void logitsAreWeightTimesEmbeddingPlusBias() {
        float[] logits = head.logits(new float[] {1, 1, 2});
        // cell 0: 1 + 2 + 6 + 0.5 = 9.5; cell 1: -1 + 0 + 1 - 1 = -1
        assertArrayEquals(new float[] {9.5f, -1f}, logits, 0f);
        assertEquals(2, head.numCells());
        assertEquals(3, head.dim());
    }

    @Test
    void softmaxMatchesTheDefinitionAndSumsToOne() {
        double[] p = GeocellHead.softmax(new float[] {0f, (float) Math.log(3)});
        assertArrayEquals(new double[] {0.25, 0.75}, p, 1e-7);
    }

    @Test
    void softmaxDoesNotOverflowOnLargeLogits() {
        double[] p = GeocellHead.softmax(new float[] {1000f, 1001f, -1000f});
        double e = Math.E;
        assertArrayEquals(new double[] {1 / (1 + e), e / (1 + e), 0}, p, 1e-12);
    }

    @Test
    void probabilitiesRankTheLargestLogitFirst() {
        double[] p = head.probabilities(new float[] {1, 1, 2});
        assertTrue(p[0] > 0.9999 && p[1] < 1e-4, () -> java.util.Arrays.toString(p));
        assertEquals(1.0, p[0] + p[1], 1e-12);
    }

    @Test
    void rejectsEmbeddingOfTheWrongDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> head.logits(new float[4]));
        assertTrue(e.getMessage().contains("dimension 4") && e.getMessage().contains("expects 3"), e.getMessage());
    }

    @Test
    void writeThenReadGivesTheSameHead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("head.safetensors");
        head.write(file);
        GeocellHead back = GeocellHead.read(file);
        assertEquals(2, back.numCells());
        assertEquals(3, back.dim());
        assertArrayEquals(head.logits(new float[] {0.1f, -2f, 3f}), back.logits(new float[] {0.1f, -2f, 3f}), 0f);
    }

    @Test
    void readRejectsNanWeightsNamingFileAndTensor(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("weight", Tensor.f32(new float[] {1, Float.NaN}, 1, 2));
        t.put("bias", Tensor.f32(new float[] {0}, 1));
        Safetensors.write(file, t, Map.of());
        IOException e = assertThrows(IOException.class, () -> GeocellHead.read(file));
        assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("'weight'")
                && e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void readRejectsMissingBiasAndMismatchedShapes(@TempDir Path dir) throws IOException {
        Path noBias = dir.resolve("nobias.safetensors");
        Safetensors.write(noBias, Map.of("weight", Tensor.f32(new float[] {1, 2}, 1, 2)), Map.of());
        IOException e1 = assertThrows(IOException.class, () -> GeocellHead.read(noBias));
        assertTrue(e1.getMessage().contains("nobias.safetensors") && e1.getMessage().contains("'bias'"), e1.getMessage());

        Path mismatch = dir.resolve("mismatch.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("weight", Tensor.f32(new float[] {1, 2}, 1, 2));
        t.put("bias", Tensor.f32(new float[] {0, 0}, 2));
        Safetensors.write(mismatch, t, Map.of());
        IOException e2 = assertThrows(IOException.class, () -> GeocellHead.read(mismatch));
        assertTrue(e2.getMessage().contains("'bias' has 2 values") && e2.getMessage().contains("1 rows"), e2.getMessage());
    }

    @Test
    void constructorRejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> new GeocellHead(2, 3, new float[5], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new GeocellHead(2, 3, new float[6], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new GeocellHead(1, 1, new float[] {Float.POSITIVE_INFINITY}, new float[1]));
    }
}
