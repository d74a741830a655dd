package org.geopigeon.engine.train;

import org.geopigeon.engine.geocell.TestGeocells;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedBundleWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GeocellSet CELLS = TestGeocells.squares(2, new LatLon(0, 0), new LatLon(10, 10));

    @TempDir
    Path dir;

    /** A minimal base bundle: manifest (with a field this version does not know) and a backbone file. */
    private Path base(int dim) throws IOException {
        return base(dim, true);
    }

    private Path base(int dim, boolean pretrained) throws IOException {
        Path b = Files.createDirectories(dir.resolve("base"));
        Files.writeString(b.resolve("manifest.json"), "{\"format\":\"geopigeon-bundle/1\",\"name\":\"base\",\"trained\":false,"
                + "\"backbone\":{\"file\":\"backbone.pt\",\"embeddingDim\":" + dim + ",\"pretrained\":" + pretrained + "},"
                + "\"geocells\":\"old.geojson\","
                + "\"head\":\"old.safetensors\",\"refinement\":null,\"futureField\":42}");
        Files.writeString(b.resolve("backbone.pt"), "weights");
        Files.writeString(b.resolve("old.geojson"), "{}");
        Files.writeString(b.resolve("README.md"), "random weights");
        return b;
    }

    private static GeocellHead head(int dim) {
        return new GeocellHead(2, dim, new float[2 * dim], new float[2]);
    }

    @Test
    void copiesTheBaseAndReplacesCellsHeadAndManifest() throws IOException {
        Path out = dir.resolve("out");
        TrainedBundleWriter.write(base(3), out, new TrainedBundleWriter.Contents(CELLS, head(3), null, "mine", "desc", "prov"));
        JsonNode m = JSON.readTree(out.resolve("manifest.json").toFile());
        assertTrue(m.path("trained").asBoolean(), "a head on a pretrained backbone is a trained model");
        assertEquals("desc", m.path("description").asText());
        assertEquals("mine", m.path("name").asText());
        assertEquals("prov", m.path("provenance").asText());
        assertEquals("geocells.geojson", m.path("geocells").asText());
        assertEquals(42, m.path("futureField").asInt(), "unknown manifest fields survive");
        assertEquals("weights", Files.readString(out.resolve("backbone.pt")));
        assertEquals(2, GeocellGeoJson.read(out.resolve("geocells.geojson")).size());
        assertEquals(3, GeocellHead.read(out.resolve("head.safetensors")).dim());
        assertFalse(Files.exists(out.resolve("old.geojson")));
        assertFalse(Files.exists(out.resolve("README.md")));
    }

    @Test
    void failsWithoutLeavingAnythingBehind() throws IOException {
        Path b = base(5);
        Path out = dir.resolve("out");
        var e = assertThrows(IOException.class, () -> TrainedBundleWriter.write(b, out,
                new TrainedBundleWriter.Contents(CELLS, head(3), null, "x", "", "")));
        assertTrue(e.getMessage().contains("D = 5") && e.getMessage().contains("D = 3"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the base folder exists");
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("x"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> TrainedBundleWriter.write(b, out,
                new TrainedBundleWriter.Contents(CELLS, head(5), null, "x", "", "")));
        assertEquals("x", Files.readString(out.resolve("x")));
    }

    @Test
    void aHeadOnARandomBackboneIsNotCalledTrained() throws IOException {
        Path out = dir.resolve("out");
        TrainedBundleWriter.write(base(3, false), out, new TrainedBundleWriter.Contents(CELLS, head(3), null, "mine", "desc", "prov"));
        JsonNode m = JSON.readTree(out.resolve("manifest.json").toFile());
        assertFalse(m.path("trained").asBoolean(), "random backbone embeddings carry no geographic information");
        assertTrue(m.path("description").asText().endsWith(TrainedBundleWriter.UNTRAINED_BACKBONE_NOTE),
                m.path("description").asText());
    }
}
