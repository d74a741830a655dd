package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model bundle folder. File names are relative to the folder.
 *
 * @param format      "geopigeon-bundle/1"
 * @param name        short model name, stored with every prediction
 * @param description what it is, in one paragraph (say whether the weights are trained)
 * @param trained     false for demo/untrained weights: predictions then carry no geographic information
 * @param licence     licence of the weights and data in the bundle
 * @param provenance  where the backbone, geocells and head came from
 * @param backbone    TorchScript image encoder
 * @param geocells    geocell GeoJSON file (row order = class index)
 * @param head        safetensors with {@code weight} F32 [C,D] and {@code bias} F32 [C]
 * @param refinement  safetensors refinement index, or null when the bundle has none
 * @param defaults    inference defaults
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleManifest(String format, String name, String description, boolean trained, String licence,
                             String provenance, Backbone backbone, String geocells, String head, String refinement,
                             Defaults defaults) {

    public static final String FORMAT = "geopigeon-bundle/1";

    /**
     * @param file          TorchScript file: float [N,3,S,S] normalised image batch -> float [N,D]
     * @param inputSize     S
     * @param resizeShortestEdge shortest side after resize (HF "shortest_edge"), usually S
     * @param cropSize      centre crop, usually S
     * @param resample      "bicubic" (PIL, antialiased)
     * @param mean          per-channel mean (RGB)
     * @param std           per-channel std (RGB)
     * @param embeddingDim  D
     * @param pooling       "mean-all-tokens" for PIGEOTTO (mean of last_hidden_state over all tokens, pre post-LN)
     * @param pretrained    true when the backbone carries real pretrained weights (an imported CLIP); false or
     *                      absent for random demo weights, whose embeddings carry no geographic information, so a
     *                      head trained on them does not either
     * @param variants      reduced-precision copies of {@code file}: precision id ({@code bf16}, {@code fp16},
     *                      {@code int8}) to TorchScript file, written by tools/export_precision_variants.py; empty
     *                      when the bundle has only the fp32 file (see {@link org.geopigeon.engine.model.Precision})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Backbone(String file, int inputSize, int resizeShortestEdge, int cropSize, String resample,
                           List<Double> mean, List<Double> std, int embeddingDim, String pooling, boolean pretrained,
                           Map<String, String> variants) {

        public Backbone {
            variants = variants == null ? Map.of() : Map.copyOf(variants);
        }

        /** A backbone section without precision variants (fp32 only). */
        public Backbone(String file, int inputSize, int resizeShortestEdge, int cropSize, String resample,
                        List<Double> mean, List<Double> std, int embeddingDim, String pooling, boolean pretrained) {
            this(file, inputSize, resizeShortestEdge, cropSize, resample, mean, std, embeddingDim, pooling, pretrained,
                    Map.of());
        }
    }

    /**
     * @param topK           cells returned per request
     * @param refineTopK     candidate cells searched by refinement (PIGEON 5, PIGEOTTO 40)
     * @param temperature    softmax temperature over -distance (PIGEON 1.6, PIGEOTTO 0.6)
     * @param fallbackKm     refined points farther than this from the top-1 centroid fall back to it
     * @param batchSize      backbone batch size
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Defaults(int topK, int refineTopK, double temperature, double fallbackKm, int batchSize) {
    }
}
