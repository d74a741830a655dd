package org.geopigeon.engine.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.model.TorchScriptBackbone;
import org.geopigeon.engine.train.TrainedBundleWriter;

/**
 * Runs {@link CaptionPretrainer} and writes the result as a new CLIP bundle: a copy of the base bundle (text tower,
 * tokenizer and their settings unchanged) with the trained {@code backbone.pt}. Its geocells, head and refinement
 * index are dropped, because they were fitted to the old image embeddings: rebuild them with {@code zeroshot} or
 * {@code train}. Everything is written into a hidden folder next to the target and renamed into place only after
 * the new backbone has loaded and run both methods, so a failure leaves nothing behind.
 */
public final class PretrainedBundleWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PretrainedBundleWriter() {
    }

    /**
     * @param clip   the base CLIP bundle, loaded
     * @param photos captioned training photos
     * @param out    output bundle folder (must not exist, or be empty)
     * @param name   model name of the new bundle
     * @return the training result
     * @throws IOException when the output exists, training fails, or the trained backbone does not load
     */
    public static CaptionPretrainer.Result write(ClipModel clip, List<CaptionedPhoto> photos, Path out, String name,
                                                 PretrainConfig config, Consumer<String> progress) throws IOException {
        Path base = clip.directory();
        BundleManifest m = clip.manifest();
        ObjectNode manifest = (ObjectNode) MAPPER.readTree(base.resolve("manifest.json").toFile());
        Path tmp = BundleFolder.stage(out);
        try {
            Set<String> skip = new HashSet<>(List.of("manifest.json", "README.md", m.backbone().file()));
            for (String f : new String[] {m.geocells(), m.head(), m.refinement()}) {
                if (f != null) {
                    skip.add(f);
                }
            }
            // The base's precision variants hold the weights before training: they are not copied, and the
            // manifest lists none (tools/export_precision_variants.py writes new ones from the trained backbone.pt).
            skip.addAll(m.backbone().variants().values());
            BundleFolder.copyBase(base, tmp, skip);
            Path backbone = tmp.resolve(m.backbone().file());
            CaptionPretrainer.Result r = new CaptionPretrainer(config, progress).train(clip, photos, backbone);
            // The written module must load and run both methods like any imported backbone.
            try (TorchScriptBackbone a = TorchScriptBackbone.load(backbone, m.backbone().inputSize());
                 TorchScriptBackbone b = TorchScriptBackbone.load(backbone, m.backbone().inputSize(), m.clip().imageFeatures())) {
                if (a.embeddingDim() != m.backbone().embeddingDim() || b.embeddingDim() != m.clip().projectionDim()) {
                    throw new IOException(backbone + ": trained backbone has widths " + a.embeddingDim() + "/" + b.embeddingDim()
                            + ", expected " + m.backbone().embeddingDim() + "/" + m.clip().projectionDim());
                }
            }
            String what = String.format(Locale.ROOT, "geopigeon pretrain: vision tower of '%s' trained with CLIP's symmetric "
                            + "InfoNCE on %d geotagged photos and their synthetic captions (%d epochs, batch %d, AdamW lr %g "
                            + "wd %g, %s, %,d of %,d backbone values updated, logit scale %.4g fixed, text tower frozen; "
                            + "final loss %.4f; %s).", m.name(), r.pairs(), config.epochs(), config.batchSize(),
                    config.learningRate(), config.weightDecay(), config.trainableBlocks() < 0 ? "all blocks"
                            : "last " + config.trainableBlocks() + " blocks + post-LayerNorm + projection",
                    r.trainableValues(), r.totalValues(), clip.logitScale(), r.epochLoss().get(r.epochLoss().size() - 1),
                    r.device());
            manifest.put("name", name);
            manifest.put("description", "CLIP bundle whose vision tower was pretrained on synthetic geographic captions. "
                    + "It has no geocell head: build one with 'geopigeon zeroshot' or 'geopigeon train'."
                    + (m.backbone().pretrained() ? "" : " " + TrainedBundleWriter.UNTRAINED_BACKBONE_NOTE));
            manifest.put("trained", false);
            String prov = manifest.path("provenance").asText("").strip();
            manifest.put("provenance", (prov.isEmpty() ? "" : prov + " ") + what);
            manifest.putNull("geocells");
            manifest.putNull("head");
            manifest.putNull("refinement");
            manifest.remove("headInput");
            if (manifest.path("backbone") instanceof ObjectNode backboneSection) {
                backboneSection.remove("variants");
            }
            manifest.remove("headSource");
            MAPPER.writeValue(tmp.resolve("manifest.json").toFile(), manifest);
            BundleFolder.publish(tmp, out);
            return r;
        } catch (IOException | RuntimeException e) {
            BundleFolder.deleteRecursively(tmp);
            throw e;
        }
    }
}
