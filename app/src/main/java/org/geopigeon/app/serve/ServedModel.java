package org.geopigeon.app.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;

/**
 * What the service tells clients about its model: the manifest summary of {@code GET /api/v1/model}.
 *
 * @param manifest   the bundle manifest
 * @param directory  the bundle folder
 * @param cellCount  number of geocells (classes)
 * @param refinement whether the bundle has a retrieval refinement index
 * @param precision  the arithmetic the server's backbone runs in ({@code fp32}, {@code bf16}, ...), or null
 */
public record ServedModel(BundleManifest manifest, Path directory, int cellCount, boolean refinement,
                          String precision) {

    /** A model whose precision is not known. */
    public ServedModel(BundleManifest manifest, Path directory, int cellCount, boolean refinement) {
        this(manifest, directory, cellCount, refinement, null);
    }

    /**
     * The summary of a loaded bundle: its manifest, folder, geocell count, whether it has a refinement index and
     * the precision its backbone runs in (e.g. {@code bf16}).
     */
    public static ServedModel of(ModelBundle bundle) {
        return new ServedModel(bundle.manifest(), bundle.directory(), bundle.geocells().size(),
                bundle.refinement().isPresent(), bundle.backbone().precision().id());
    }

    /** The bundle name from {@code manifest.json} (shown in the viewer, health checks and audit rows). */
    public String name() {
        return manifest.name();
    }

    /**
     * False when the manifest says {@code trained: false} (demo or untrained weights): answers then carry no
     * geographic information and the viewer shows its warning banner.
     */
    public boolean trained() {
        return manifest.trained();
    }

    /** The geocell GeoJSON file of the bundle (a background map when no country outlines are installed). */
    public Path geocellFile() {
        return directory.resolve(manifest.geocells());
    }

    /**
     * The JSON document of {@code GET /api/v1/model}: name, trained (with a {@code warning} when false),
     * description, licence, provenance, format, geocells (count), refinement, precision, and the backbone
     * ({@code input_size} px, {@code embedding_dim}, pooling) and defaults ({@code top_k}, {@code refine_top_k},
     * temperature, {@code fallback_km}) sections when the manifest has them. Snake-case keys; a fresh tree per call.
     */
    public ObjectNode summary() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", manifest.name());
        o.put("trained", manifest.trained());
        if (!manifest.trained()) {
            o.put("warning", "model '" + manifest.name() + "' " + manifest.untrainedReason()
                    + ": predictions carry no geographic information");
        }
        o.put("description", manifest.description());
        o.put("licence", manifest.licence());
        o.put("provenance", manifest.provenance());
        o.put("format", manifest.format());
        o.put("geocells", cellCount);
        o.put("refinement", refinement);
        if (precision != null) {
            o.put("precision", precision);
        }
        if (manifest.backbone() != null) {
            ObjectNode b = o.putObject("backbone");
            b.put("input_size", manifest.backbone().inputSize());
            b.put("embedding_dim", manifest.backbone().embeddingDim());
            b.put("pooling", manifest.backbone().pooling());
        }
        if (manifest.defaults() != null) {
            ObjectNode d = o.putObject("defaults");
            d.put("top_k", manifest.defaults().topK());
            d.put("refine_top_k", manifest.defaults().refineTopK());
            d.put("temperature", manifest.defaults().temperature());
            d.put("fallback_km", manifest.defaults().fallbackKm());
        }
        return o;
    }
}
