package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.preprocess.PreprocessConfig;

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
 * @param clip        CLIP joint space (text tower, tokenizer, logit scale, the backbone's projected-image method),
 *                    or null for a bundle without one (all bundles before issue 12)
 * @param headInput   which embedding the head takes: {@link #HEAD_INPUT_BACKBONE} (default when absent: the
 *                    backbone's forward output, PIGEOTTO's mean-all-tokens) or {@link #HEAD_INPUT_CLIP_IMAGE}
 *                    (CLIP's projected image embedding, L2-normalised; zero-shot heads)
 * @param headSource  where the head came from (zero-shot captions, training), or null when not recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
// Written by ManifestWriter in this order (the CLIP section beside the backbone, as in every shipped manifest);
// geocells, head and refinement are written even when null, saying "not yet" (zeroshot / train add them).
@JsonPropertyOrder({"format", "name", "description", "trained", "licence", "provenance", "backbone", "clip",
    "geocells", "head", "refinement", "defaults", "headInput", "headSource"})
public record BundleManifest(String format, String name, String description, boolean trained, String licence,
                             String provenance, Backbone backbone,
                             @JsonInclude(JsonInclude.Include.ALWAYS) String geocells,
                             @JsonInclude(JsonInclude.Include.ALWAYS) String head,
                             @JsonInclude(JsonInclude.Include.ALWAYS) String refinement,
                             Defaults defaults, Clip clip, String headInput, HeadSource headSource) {

    public static final String FORMAT = "geopigeon-bundle/1";
    /** {@code headInput}: the backbone's forward output ({@code backbone.pooling}, D = backbone.embeddingDim). */
    public static final String HEAD_INPUT_BACKBONE = "backbone";
    /**
     * {@code headInput}: CLIP's joint-space image embedding, the backbone's {@code clip.imageFeatures} method
     * (visual_projection of the post-LayerNorm class token, HF CLIPModel.get_image_features) divided by its
     * L2 norm; P = clip.projectionDim.
     */
    public static final String HEAD_INPUT_CLIP_IMAGE = "clip-image";

    /** A manifest without the CLIP and head-source sections (the format before issue 12; source compatibility). */
    public BundleManifest(String format, String name, String description, boolean trained, String licence,
                          String provenance, Backbone backbone, String geocells, String head, String refinement,
                          Defaults defaults) {
        this(format, name, description, trained, licence, provenance, backbone, geocells, head, refinement, defaults,
                null, null, null);
    }

    /**
     * The preprocessing this bundle's backbone expects at input size S = {@code inputSize} (the loaded backbone's
     * {@code inputSize()}): the manifest's {@code backbone.mean}/{@code std}, or OpenAI CLIP's when the manifest has
     * none. The one conversion from manifest to {@link PreprocessConfig}: inference ({@code Geolocator}), gallery
     * building, caption pretraining and the Spark jobs all call it, so a photo is embedded the same way everywhere.
     *
     * @throws IllegalArgumentException when {@code backbone.resizeShortestEdge} is set and differs from S (the
     *                                  preprocessor resizes the short side straight to the crop size, CLIP's
     *                                  setting), or mean/std do not have 3 values (R, G, B)
     */
    public PreprocessConfig preprocessConfig(int inputSize) {
        Backbone b = backbone;
        if (b != null && b.resizeShortestEdge() != 0 && b.resizeShortestEdge() != inputSize) {
            throw new IllegalArgumentException("backbone.resizeShortestEdge " + b.resizeShortestEdge()
                    + " differs from the input size " + inputSize + ": only resize == crop is supported");
        }
        if (b == null || b.mean() == null || b.std() == null) {
            return PreprocessConfig.clipDefaults(inputSize);
        }
        return new PreprocessConfig(inputSize, rgb(b.mean(), "mean"), rgb(b.std(), "std"));
    }

    private static float[] rgb(List<Double> values, String name) {
        if (values.size() != 3) {
            throw new IllegalArgumentException("manifest backbone." + name + " needs 3 values (R, G, B), got " + values);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /**
     * Why this bundle's answers carry no geographic information, worded to follow the model's name ("model 'demo'
     * has a random, untrained backbone (...)"): a random backbone (the demo's, or a head trained on its embeddings:
     * {@code train} marks a bundle {@code trained} only when {@code backbone.pretrained} is true) or an untrained
     * head. The one wording of every front end's warning (the CLI commands, {@code serve}, the Spark batch).
     *
     * @return the reason; null when {@code trained} is true
     */
    public String untrainedReason() {
        if (trained) {
            return null;
        }
        return backbone != null && backbone.pretrained()
                ? "has an untrained geocell head"
                : "has a random, untrained backbone (demo weights; a head trained on its embeddings learns nothing"
                        + " about places)";
    }

    /** True when the head takes CLIP's normalised joint-space image embedding. */
    public boolean headTakesClipImage() {
        return HEAD_INPUT_CLIP_IMAGE.equals(headInput);
    }

    /** Width of the embedding the head takes: clip.projectionDim for {@code clip-image}, else backbone.embeddingDim. */
    public int headInputDim() {
        return headTakesClipImage() ? clip.projectionDim() : backbone.embeddingDim();
    }

    /**
     * CLIP's joint image-text space (Radford et al. 2021): logits = logitScale * cos(image, text).
     *
     * @param imageFeatures TorchScript method of {@code backbone.file}: float [N,3,S,S] -> float [N,P], not normalised
     * @param projectionDim P
     * @param logitScale    exp(logit_scale) of the checkpoint (100 for trained OpenAI CLIP), multiplies cosines
     * @param text          the text tower
     * @param tokenizer     the tokenizer
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Clip(String imageFeatures, int projectionDim, double logitScale, Text text, Tokenizer tokenizer) {
    }

    /**
     * @param file          TorchScript: int64 token ids [N,L] -> float [N,P] text features (end-of-text pooling,
     *                      text_projection; not normalised)
     * @param contextLength L, the number of positions (77 for CLIP)
     * @param embeddingDim  P
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Text(String file, int contextLength, int embeddingDim) {
    }

    /**
     * @param file       Hugging Face tokenizer.json (CLIP byte-level BPE)
     * @param bosTokenId id of {@code <|startoftext|>}
     * @param eosTokenId id of {@code <|endoftext|>}
     * @param padTokenId id written after the end-of-text token up to the context length
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tokenizer(String file, int bosTokenId, int eosTokenId, int padTokenId) {
    }

    /**
     * Where the head came from.
     *
     * @param method "zeroshot" (text embeddings of geocell captions), "train" (geopigeon train) or
     *               "train-from-zeroshot" (geopigeon train --init zeroshot)
     * @param detail one sentence for humans: data, settings, source bundle
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeadSource(String method, String detail) {
    }

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
