package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleManifest;
import org.junit.jupiter.api.Test;

/** {@code GET /model}: what the service says about its model, and why an untrained one tells nothing. */
class ServedModelTest {

    private static final Path DEMO = Path.of("..", "sample-data", "demo-bundle");

    @Test
    void theDemoModelsSummaryWarnsInTheWordsEveryFrontEndUses() throws Exception {
        BundleManifest demo = new ObjectMapper().readValue(DEMO.resolve("manifest.json").toFile(), BundleManifest.class);
        JsonNode summary = new ServedModel(demo, DEMO, 12, true, "fp32").summary();
        assertFalse(summary.get("trained").asBoolean(true));
        assertEquals("model '" + demo.name() + "' " + demo.untrainedReason()
                + ": predictions carry no geographic information", summary.get("warning").asText());
        assertEquals(12, summary.get("geocells").asInt());
        assertEquals("fp32", summary.get("precision").asText());
    }
}
