package org.geopigeon.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementIndex;

/**
 * Writes a trained model bundle: a copy of a base bundle (for its backbone and preprocessing
 * settings) with new geocells, head, refinement index and an updated manifest (name, description,
 * provenance, and {@code trained}, which is true only when the base backbone is marked {@code pretrained}). Everything is written into a hidden temporary folder next to the target
 * and renamed into place at the end, so a failure leaves no half-written bundle. The base bundle's
 * README is not copied (it describes the base weights, not these).
 *
 * <p>The manifest is edited as a JSON tree, so fields this version does not know survive.
 */
public final class TrainedBundleWriter {

    public static final String GEOCELLS = "geocells.geojson";
    public static final String HEAD = "head.safetensors";
    public static final String REFINEMENT = "refinement.safetensors";
    private static final String MANIFEST = "manifest.json";

    /**
     * @param refinement  null for a bundle without retrieval refinement
     * @param name        model name stored with every prediction
     * @param description one paragraph for users
     * @param provenance  what data and settings produced the weights
     * @param headInput   the embedding the head takes ({@code manifest.headInput}: "backbone" or "clip-image"), or
     *                    null to keep the base bundle's
     * @param headSource  where the head came from, or null to record none
     */
    public record Contents(GeocellSet geocells, GeocellHead head, RefinementIndex refinement, String name,
                           String description, String provenance, String headInput,
                           BundleManifest.HeadSource headSource) {
        public Contents {
            Objects.requireNonNull(geocells, "geocells");
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(name, "name");
        }

        /** Keeps the base bundle's head input and records no head source. */
        public Contents(GeocellSet geocells, GeocellHead head, RefinementIndex refinement, String name,
                        String description, String provenance) {
            this(geocells, head, refinement, name, description, provenance, null, null);
        }
    }

    /** Appended to the description when the base backbone is not marked {@code pretrained}. */
    public static final String UNTRAINED_BACKBONE_NOTE = "The backbone has random, untrained weights (backbone.pretrained"
            + " is not true), so the embeddings and this model carry no geographic information: import a real backbone"
            + " with tools/import_backbone.sh first.";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainedBundleWriter() {
    }

    /**
     * Width of the embedding the base bundle's head takes: {@code clip.projectionDim} when its
     * {@code headInput} is "clip-image", else {@code backbone.embeddingDim}.
     */
    public static int baseEmbeddingDim(Path baseBundle) throws IOException {
        ObjectNode m = readManifest(baseBundle);
        return headInputDim(m, m.path("headInput").asText(BundleManifest.HEAD_INPUT_BACKBONE));
    }

    private static int headInputDim(JsonNode manifest, String headInput) {
        return BundleManifest.HEAD_INPUT_CLIP_IMAGE.equals(headInput)
                ? manifest.path("clip").path("projectionDim").asInt(-1)
                : manifest.path("backbone").path("embeddingDim").asInt(-1);
    }

    /**
     * Writes the bundle {@code out} from {@code baseBundle} and the new contents, atomically: staged in a hidden
     * sibling folder, renamed into place at the end.
     *
     * @throws IOException when the base manifest cannot be read, lacks what the head needs (a {@code clip} section
     *   for a CLIP-image head), its embedding width differs from the head's D, or writing fails; nothing is left at
     *   {@code out} then
     * @throws IllegalArgumentException when the head's classes, the geocells and the refinement index disagree in
     *   count or width
     */
    public static void write(Path baseBundle, Path out, Contents c) throws IOException {
        ObjectNode manifest = readManifest(baseBundle);
        String headInput = c.headInput() != null ? c.headInput()
                : manifest.path("headInput").asText(BundleManifest.HEAD_INPUT_BACKBONE);
        if (BundleManifest.HEAD_INPUT_CLIP_IMAGE.equals(headInput) && !manifest.path("clip").isObject()) {
            throw new IOException(baseBundle.resolve(MANIFEST) + ": a head on CLIP image embeddings needs the base "
                    + "bundle's 'clip' section, which it lacks");
        }
        int dim = headInputDim(manifest, headInput);
        if (dim != c.head().dim()) {
            throw new IOException(baseBundle.resolve(MANIFEST) + ": base " + (BundleManifest.HEAD_INPUT_CLIP_IMAGE.equals(
                    headInput) ? "CLIP image embedding has P = " : "backbone embeds to D = ") + dim
                    + " but the head expects D = " + c.head().dim() + " (train on embeddings of this backbone)");
        }
        if (c.head().numCells() != c.geocells().size()) {
            throw new IllegalArgumentException("head has " + c.head().numCells() + " classes but there are "
                    + c.geocells().size() + " geocells");
        }
        if (c.refinement() != null && (c.refinement().cells() != c.geocells().size() || c.refinement().dimension() != dim)) {
            throw new IllegalArgumentException("refinement index covers " + c.refinement().cells() + " cells of dimension "
                    + c.refinement().dimension() + "; expected " + c.geocells().size() + " cells of dimension " + dim);
        }
        Path tmp = BundleFolder.stage(out);
        try {
            // A CLIP bundle without geocells/head/refinement has nulls there: a set that tolerates repeats.
            Set<String> replaced = new java.util.HashSet<>(List.of(MANIFEST, "README.md", manifest.path("geocells").asText(""),
                    manifest.path("head").asText(""), manifest.path("refinement").asText("")));
            BundleFolder.copyBase(baseBundle, tmp, replaced);
            GeocellGeoJson.write(c.geocells(), tmp.resolve(GEOCELLS));
            c.head().write(tmp.resolve(HEAD));
            if (c.refinement() != null) {
                c.refinement().write(tmp.resolve(REFINEMENT));
            }
            // A head trained on embeddings of a random (demo) backbone learns nothing about places.
            boolean pretrainedBackbone = manifest.path("backbone").path("pretrained").asBoolean(false);
            String description = c.description() == null ? "" : c.description();
            if (!pretrainedBackbone) {
                description = (description + " " + UNTRAINED_BACKBONE_NOTE).trim();
            }
            manifest.put("name", c.name());
            manifest.put("description", description);
            manifest.put("trained", pretrainedBackbone);
            manifest.put("provenance", c.provenance() == null ? "" : c.provenance());
            manifest.put("geocells", GEOCELLS);
            manifest.put("head", HEAD);
            manifest.put("headInput", headInput);
            if (c.headSource() != null) {
                manifest.set("headSource", MAPPER.valueToTree(c.headSource()));
            } else {
                manifest.remove("headSource");
            }
            if (c.refinement() != null) {
                manifest.put("refinement", REFINEMENT);
            } else {
                manifest.putNull("refinement");
            }
            MAPPER.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
            BundleFolder.publish(tmp, out);
        } catch (IOException | RuntimeException e) {
            BundleFolder.deleteRecursively(tmp);
            throw e;
        }
    }

    private static ObjectNode readManifest(Path baseBundle) throws IOException {
        Path m = baseBundle.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new IOException(baseBundle + ": not a model bundle folder (" + MANIFEST + " missing)");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(m.toFile());
        } catch (IOException e) {
            throw new IOException(m + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IOException(m + ": manifest is not a JSON object");
        }
        return o;
    }
}
