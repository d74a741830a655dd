package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.List;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.clip.ZeroShotHead;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.train.Gallery;
import org.geopigeon.engine.train.GalleryBuilder;
import org.geopigeon.engine.train.GeocellLabels;
import org.geopigeon.engine.train.HaversineLabelSmoother;
import org.geopigeon.engine.train.HeadTrainer;
import org.geopigeon.engine.train.RefinementIndexBuilder;
import org.geopigeon.engine.train.SmoothingMode;
import org.geopigeon.engine.train.TrainedBundleWriter;
import org.geopigeon.engine.train.TrainingConfig;
import org.geopigeon.engine.train.TrainingResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon train}: trains a geocell head (haversine-smoothed cross-entropy, AdamW, early
 * stopping on validation median km) on embeddings of geotagged photos, builds the refinement index
 * and writes a new model bundle (a copy of the base bundle with the new geocells, head, index and
 * manifest). The bundle appears only when everything succeeded.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a geocell head and refinement index on geotagged photos; write a new model bundle.",
                "Progress goes to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:bundle written", "1:bad input or training failed (nothing written)", "2:invalid command line"})
final class TrainCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--photos", paramLabel = "DIR", required = true,
                description = "folder of geotagged photos (EXIF GPS, or --locations)")
        Path photos;

        @Option(names = "--gallery", paramLabel = "FILE", required = true,
                description = "precomputed embeddings (safetensors: embeddings [N,D], latlon [N,2]); see --save-gallery")
        Path gallery;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--locations", paramLabel = "CSV", description = "with --photos: file,lat,lon per photo instead of EXIF GPS")
    Path locations;

    @Option(names = "--geocells", paramLabel = "FILE", required = true, description = "geocell GeoJSON (class order)")
    Path geocells;

    @Option(names = "--out", paramLabel = "BUNDLE", required = true, description = "output bundle folder (must not exist or be empty)")
    Path out;

    @Option(names = "--base-bundle", paramLabel = "DIR",
            description = "bundle whose backbone and preprocessing are reused (default: $GEOPIGEON_BUNDLE, else the demo bundle)")
    String baseBundle;

    @Option(names = "--name", paramLabel = "NAME", description = "model name of the new bundle (default: the output folder name)")
    String name;

    @Option(names = "--tau", paramLabel = "KM", description = "label smoothing temperature in km (default: ${DEFAULT-VALUE})")
    double tau = HaversineLabelSmoother.DEFAULT_TAU_KM;

    @Option(names = "--smoothing", paramLabel = "MODE",
            description = "min (PIGEON code), true (paper), onehot (no smoothing); default: ${DEFAULT-VALUE}")
    String smoothing = "min";

    @Option(names = "--normalise-targets", description = "divide smoothed targets by their sum")
    boolean normalise;

    @Option(names = "--epochs", paramLabel = "N", description = "maximum epochs (default: ${DEFAULT-VALUE})")
    int epochs = TrainingConfig.defaults().epochs();

    @Option(names = "--lr", paramLabel = "X", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    double lr = TrainingConfig.defaults().learningRate();

    @Option(names = "--weight-decay", paramLabel = "X", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = TrainingConfig.defaults().weightDecay();

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = TrainingConfig.defaults().batchSize();

    @Option(names = "--val-fraction", paramLabel = "F", description = "held-out share for early stopping (default: ${DEFAULT-VALUE})")
    double valFraction = TrainingConfig.defaults().valFraction();

    @Option(names = "--patience", paramLabel = "N", description = "epochs without improvement before stopping (default: ${DEFAULT-VALUE})")
    int patience = TrainingConfig.defaults().patience();

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = TrainingConfig.defaults().seed();

    @Option(names = "--no-refinement", description = "write no refinement index")
    boolean noRefinement;

    @Option(names = "--refine-min-samples", paramLabel = "N", description = "OPTICS min_samples per cell (default: ${DEFAULT-VALUE})")
    int refineMinSamples = RefinementIndexBuilder.Config.defaults().minSamples();

    @Option(names = "--refine-xi", paramLabel = "X", description = "OPTICS xi per cell (default: ${DEFAULT-VALUE})")
    double refineXi = RefinementIndexBuilder.Config.defaults().xi();

    @Option(names = "--save-gallery", paramLabel = "FILE", description = "with --photos: also save the embeddings (F16) for later runs")
    Path saveGallery;

    @Option(names = "--init", paramLabel = "HOW",
            description = "starting head: random (PyTorch's default) or zeroshot (CLIP caption embeddings of every geocell, "
                    + "as 'geopigeon zeroshot'; the head then takes CLIP's normalised image embedding and the base bundle "
                    + "needs a 'clip' section); default: ${DEFAULT-VALUE}")
    String init = "random";

    @Option(names = "--precision", paramLabel = "P", converter = PrecisionOption.class,
            description = "with --photos: backbone arithmetic for embedding, auto|fp32|bf16|fp16|int8 (default:"
                    + " $GEOPIGEON_PRECISION, else auto = bf16 where the hardware runs it natively)")
    PrecisionChoice precision;

    @Option(names = "--decode-threads", paramLabel = "N",
            description = "with --photos: threads decoding photos while the backbone embeds (default: a quarter of the cores, 1-4)")
    Integer decodeThreads;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        TrainingConfig config = config();
        RefinementIndexBuilder.Config refineConfig;
        try {
            refineConfig = new RefinementIndexBuilder.Config(refineMinSamples, refineXi,
                    RefinementIndexBuilder.Config.defaults().maxPointsPerCell());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (locations != null && source.photos == null) {
            throw new ParameterException(spec.commandLine(), "--locations needs --photos");
        }
        if (saveGallery != null && source.photos == null) {
            throw new ParameterException(spec.commandLine(), "--save-gallery needs --photos");
        }
        if (!init.equals("random") && !init.equals("zeroshot")) {
            throw new ParameterException(spec.commandLine(), "--init must be 'random' or 'zeroshot', got '" + init + "'");
        }
        boolean zeroshot = init.equals("zeroshot");
        try {
            if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
                err.println("error: output bundle " + out + " already exists and is not empty; choose another --out");
                return 1;
            }
            Path base = BundleLocator.resolve(baseBundle);
            GeocellSet cells = GeocellGeoJson.read(geocells);
            ClipModel clip = zeroshot ? ClipModel.load(base) : null;
            try (clip) {
                int baseDim = zeroshot ? clip.manifest().clip().projectionDim() : TrainedBundleWriter.baseEmbeddingDim(base);
                Gallery gallery = source.gallery != null ? Gallery.read(source.gallery)
                        : zeroshot ? embedPhotosClip(clip, log) : embedPhotos(base, log);
                if (gallery.dim() != baseDim) {
                    err.println("error: " + (source.gallery != null ? source.gallery : source.photos) + ": embeddings have D = "
                            + gallery.dim() + " but the base bundle " + base + " embeds to D = " + baseDim);
                    return 1;
                }
                int[] labels = GeocellLabels.assign(cells, gallery);
                log.accept(describeLabels(gallery.size(), labels, cells.size()));
                GeocellHead start = null;
                if (zeroshot) {
                    List<List<String>> captions = new GeocellCaptioner(CaptionData.shipped(), GeocellCaptioner.Options.defaults())
                            .captions(cells);
                    start = ZeroShotHead.build(captions, clip, 64, log);
                }
                TrainingResult result = new HeadTrainer(config, log).train(gallery, labels, cells, start);
                log.accept(String.format(Locale.ROOT, "best epoch %d of %d on %s: validation median %.1f km",
                        result.bestEpoch(), result.history().size(), result.device(), result.best().valMedianKm()));
                RefinementIndex index = noRefinement ? null
                        : new RefinementIndexBuilder(refineConfig, log).build(gallery, labels, cells.size());
                String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
                String provenance = provenance(base, gallery, cells, config, result);
                TrainedBundleWriter.write(base, out, new TrainedBundleWriter.Contents(cells, result.head(), index, modelName,
                        description(gallery, cells, result), provenance,
                        zeroshot ? BundleManifest.HEAD_INPUT_CLIP_IMAGE : null,
                        new BundleManifest.HeadSource(zeroshot ? "train-from-zeroshot" : "train", provenance)));
                log.accept("wrote model bundle " + out);
                return 0;
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private Gallery embedPhotos(Path base, Consumer<String> log) throws IOException {
        if (decodeThreads != null && (decodeThreads < 1 || decodeThreads > 64)) {
            throw new ParameterException(spec.commandLine(), "--decode-threads must be between 1 and 64, got " + decodeThreads);
        }
        try (ModelBundle bundle = precision == null ? ModelBundle.load(base) : ModelBundle.load(base, precision)) {
            log.accept("backbone: " + bundle.backbone().precision() + " on " + bundle.backbone().device() + " ("
                    + bundle.precisionReason() + ")");
            GalleryBuilder builder = new GalleryBuilder(bundle.backbone(),
                    GalleryBuilder.preprocessConfig(bundle.manifest(), bundle.backbone().inputSize()),
                    bundle.manifest().defaults().batchSize(),
                    decodeThreads != null ? decodeThreads : BatchLocator.defaultDecodeThreads(), log);
            GalleryBuilder.Result r = builder.build(source.photos, locations);
            if (saveGallery != null) {
                r.gallery().write(saveGallery, true);
                log.accept("saved gallery of " + r.gallery().size() + " embeddings to " + saveGallery);
            }
            return r.gallery();
        }
    }

    /** Embeddings in CLIP's joint space (normalised projected image embedding), for a head started zero-shot. */
    private Gallery embedPhotosClip(ClipModel clip, Consumer<String> log) throws IOException {
        try (Backbone encoder = clip.openImageEncoder()) {
            GalleryBuilder builder = new GalleryBuilder(encoder,
                    GalleryBuilder.preprocessConfig(clip.manifest(), encoder.inputSize()),
                    clip.manifest().defaults().batchSize(), log);
            GalleryBuilder.Result r = builder.build(source.photos, locations);
            if (saveGallery != null) {
                r.gallery().write(saveGallery, true);
                log.accept("saved gallery of " + r.gallery().size() + " embeddings to " + saveGallery);
            }
            return r.gallery();
        }
    }

    private TrainingConfig config() {
        try {
            return new TrainingConfig(SmoothingMode.parse(smoothing), tau, normalise, lr, weightDecay, epochs, batch,
                    valFraction, patience, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static String describeLabels(int n, int[] labels, int cells) {
        int[] count = new int[cells];
        for (int l : labels) {
            count[l]++;
        }
        int empty = 0;
        for (int c : count) {
            if (c == 0) {
                empty++;
            }
        }
        return String.format(Locale.ROOT, "%d photos over %d geocells (%d cells without photos)", n, cells, empty);
    }

    private String description(Gallery g, GeocellSet cells, TrainingResult r) {
        return String.format(Locale.ROOT, "Geocell head trained by 'geopigeon train' on %d geotagged embeddings over %d geocells; "
                + "validation median error %.1f km (top-1 cell centroid, %d held-out photos). Backbone and preprocessing from the base bundle.",
                g.size(), cells.size(), r.best().valMedianKm(), r.valRows());
    }

    private String provenance(Path base, Gallery g, GeocellSet cells, TrainingConfig c, TrainingResult r) {
        String data = source.gallery != null ? "gallery " + source.gallery.getFileName() : "photos in " + source.photos.getFileName();
        return String.format(Locale.ROOT, "geopigeon train: base bundle %s; %s (%d rows, D=%d); geocells %s (%d); smoothing %s tau=%.1f km%s; "
                        + "AdamW lr=%g wd=%g batch=%d, best epoch %d/%d, val fraction %.2f, seed %d, device %s; refinement %s",
                base.getFileName(), data, g.size(), g.dim(), geocells.getFileName(), cells.size(),
                c.smoothing().name().toLowerCase(Locale.ROOT), c.tauKm(), c.normaliseTargets() ? " normalised" : "",
                c.learningRate(), c.weightDecay(), c.batchSize(), r.bestEpoch(), r.history().size(), c.valFraction(), c.seed(),
                r.device(), noRefinement ? "none" : "OPTICS min_samples=" + refineMinSamples + " xi=" + refineXi);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
