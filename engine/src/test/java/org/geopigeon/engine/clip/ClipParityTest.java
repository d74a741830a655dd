package org.geopigeon.engine.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.NormalizingBackbone;
import org.geopigeon.engine.model.TorchScriptBackbone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny demo CLIP bundle against golden values written by tools/build_demo_clip_bundle.py: token ids from
 * Hugging Face's independent JavaScript tokenizer (npm @huggingface/tokenizers), text features and zero-shot
 * head rows from Python torch, projected image features from the exported backbone.
 */
class ClipParityTest {

    static final Path DEMO = Path.of("..", "sample-data", "demo-clip-bundle");
    private static JsonNode golden;
    private static ClipModel clip;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ClipParityTest.class.getResourceAsStream("/golden/clip/demo_clip.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        clip = ClipModel.load(DEMO);
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    private static List<String> texts() {
        List<String> t = new ArrayList<>();
        golden.get("texts").forEach(n -> t.add(n.asText()));
        return t;
    }

    private static long[] longs(JsonNode a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asLong();
        }
        return v;
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    @Test
    void tokenIdsEqualTheJavaScriptReference() {
        List<String> texts = texts();
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(longs(golden.get("ids").get(i)), clip.tokenizer().unpadded(texts.get(i)),
                    "text " + i + ": " + texts.get(i));
        }
    }

    @Test
    void overLongCaptionsAreCutToTheContextLengthEndingWithEndOfText() {
        ClipTokenizer t = clip.tokenizer();
        long[] ids = t.encode("word ".repeat(500));
        assertEquals(77, ids.length);
        assertEquals(t.endOfTextId(), ids[76]);
        long[] shortOne = t.encode("Germany");
        assertEquals(77, shortOne.length);
        assertEquals(t.endOfTextId(), shortOne[76], "padded with the pad id (= end of text here)");
    }

    @Test
    void textFeaturesEqualPython() {
        List<String> texts = texts();
        int l = golden.get("contextLength").asInt();
        long[] ids = new long[texts.size() * l];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(clip.tokenizer().encode(texts.get(i)), 0, ids, i * l, l);
        }
        float[][] f = clip.textEncoder().encode(ids, texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(floats(golden.get("textFeatures").get(i)), f[i], 1e-4f, "text " + i);
        }
    }

    @Test
    void zeroShotHeadRowsEqualPython() {
        List<String> texts = texts();
        List<List<String>> groups = new ArrayList<>();
        for (JsonNode g : golden.get("groups")) {
            List<String> cell = new ArrayList<>();
            g.forEach(i -> cell.add(texts.get(i.asInt())));
            groups.add(cell);
        }
        GeocellHead head = ZeroShotHead.build(groups, clip, 4, null);
        assertEquals(groups.size(), head.numCells());
        float[] e = new float[head.dim()];
        for (int c = 0; c < groups.size(); c++) {
            float[] expected = floats(golden.get("headRows").get(c));
            for (int j = 0; j < e.length; j++) {
                java.util.Arrays.fill(e, 0f);
                e[j] = 1f;
                assertEquals(expected[j], head.logits(e)[c], 1e-4f, "cell " + c + " column " + j);
            }
        }
        assertEquals(golden.get("logitScale").asDouble(), clip.logitScale(), 1e-9);
    }

    @Test
    void projectedImageFeaturesEqualPython() throws IOException {
        int s = clip.manifest().backbone().inputSize();
        float[] batch = new float[2 * 3 * s * s];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 3 * s * s; i++) {
                long h = ((i + 1000003L * k + 1) * 2654435761L) & 0xFFFFFFFFL;
                batch[k * 3 * s * s + i] = (float) ((h >>> 8) / 16777216.0 * 4 - 2);
            }
        }
        try (TorchScriptBackbone raw = TorchScriptBackbone.load(DEMO.resolve("backbone.pt"), s, "get_image_features");
             Backbone joint = clip.openImageEncoder()) {
            float[][] r = raw.embed(batch, 2);
            float[][] n = joint.embed(batch, 2);
            for (int k = 0; k < 2; k++) {
                float[] expected = floats(golden.get("imageFeatures").get(k));
                assertArrayEquals(expected, r[k], 1e-4f, "image " + k);
                NormalizingBackbone.normalizeInPlace(expected);
                assertArrayEquals(expected, n[k], 1e-5f, "normalised image " + k);
            }
        }
    }

    @Test
    void missingMethodIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> TorchScriptBackbone.load(DEMO.resolve("backbone.pt"), 224, "no_such_method"));
        assertTrue(e.getMessage().contains("method 'no_such_method'"), e.getMessage());
    }

    @Test
    void bundleWithoutClipSectionSaysHowToGetOne(@TempDir Path tmp) throws IOException {
        Files.copy(Path.of("..", "sample-data", "demo-bundle", "manifest.json"), tmp.resolve("manifest.json"));
        BundleException e = assertThrows(BundleException.class, () -> ClipModel.load(tmp));
        assertTrue(e.getMessage().contains("no 'clip' section") && e.getMessage().contains("tools/import_backbone.sh"),
                e.getMessage());
    }

    @Test
    void brokenTokenizerIsNamed(@TempDir Path tmp) throws IOException {
        for (String f : List.of("manifest.json", "backbone.pt", "text.pt")) {
            Files.copy(DEMO.resolve(f), tmp.resolve(f));
        }
        Files.writeString(tmp.resolve("tokenizer.json"), "{not json");
        BundleException e = assertThrows(BundleException.class, () -> ClipModel.load(tmp));
        assertTrue(e.getMessage().startsWith(tmp.toAbsolutePath().resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a loadable Hugging Face tokenizer"), e.getMessage());
    }
}
