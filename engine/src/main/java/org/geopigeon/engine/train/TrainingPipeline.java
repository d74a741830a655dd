package org.geopigeon.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.clip.ZeroShotHead;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageLimits;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.DjlRuntime;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.refine.RefinementIndex;

/**
 * The training pipeline, written once ({@code geopigeon train}; the synthetic experiment calls its steps): embed
 * geotagged photos with a base bundle's backbone (or read a gallery of embeddings), label each with its geocell,
 * optionally start from a zero-shot head, train the head (haversine-smoothed cross-entropy, AdamW, early stopping on
 * the validation median error; PIGEON section 3.2), build the refinement index (section 3.4) and write a new bundle
 * that appears only when everything succeeded.
 *
 * <p>Configured with a {@link #builder()} in DJL's style: {@code set...} for what is required, {@code opt...} for
 * what has a default. Progress goes to a {@link TrainingListener}, phase by phase ({@link TrainingPhase}).
 */
public final class TrainingPipeline {

    /** Where the head starts. */
    public enum Init {
        /** PyTorch's Linear default, U(-1/sqrt(D), 1/sqrt(D)). */
        RANDOM,
        /**
         * CLIP caption embeddings of every geocell (as {@code geopigeon zeroshot}); the head then takes CLIP's
         * normalised image embedding, and the base bundle needs a {@code clip} section.
         */
        ZEROSHOT;

        /** "random" or "zeroshot", any case. */
        public static Init parse(String s) {
            for (Init i : values()) {
                if (i.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("init must be 'random' or 'zeroshot', got '" + s + "'");
        }
    }

    /**
     * What a run produced.
     *
     * @param bundle   the new bundle folder
     * @param name     its model name
     * @param rows     embeddings trained on (training and validation rows)
     * @param training the head's training history and best epoch
     */
    public record Result(Path bundle, String name, int rows, TrainingResult training) {
    }

    /** Captions embedded per text-tower call when the head starts zero-shot. */
    static final int ZEROSHOT_BATCH = 64;

    private final Path baseBundle;
    private final Path geocellFile;
    private final Path out;
    private final Path galleryFile;
    private final Path photos;
    private final Path locations;
    private final Path saveGallery;
    private final String name;
    private final TrainingConfig config;
    private final RefinementIndexBuilder.Config refinement;
    private final Init init;
    private final PrecisionChoice precision;
    private final Integer decodeThreads;
    private final ImageDecoder decoder;

    private TrainingPipeline(Builder b) {
        this.baseBundle = b.baseBundle;
        this.geocellFile = b.geocells;
        this.out = b.out;
        this.galleryFile = b.gallery;
        this.photos = b.photos;
        this.locations = b.locations;
        this.saveGallery = b.saveGallery;
        this.name = b.name;
        this.config = b.config;
        this.refinement = b.refinement;
        this.init = b.init;
        this.precision = b.precision;
        this.decodeThreads = b.decodeThreads;
        this.decoder = b.decoder;
    }

    /**
     * A pipeline builder: {@code set...} what is required (output, geocells, photos or gallery), {@code opt...} the
     * rest, as DJL's {@code Criteria}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every phase and writes the bundle.
     *
     * @throws IOException when an input is missing or unusable (the message names the file and the problem), the
     *                     embeddings do not fit the base bundle, or the output exists; nothing is written then
     */
    public Result run(TrainingListener listener) throws IOException {
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        BundleFolder.requireNew(out);
        GeocellSet cells = GeocellGeoJson.read(geocellFile);
        boolean zeroshot = init == Init.ZEROSHOT;
        try (ClipModel clip = zeroshot ? ClipModel.load(baseBundle) : null) {
            int baseDim = zeroshot ? clip.manifest().clip().projectionDim() : TrainedBundleWriter.baseEmbeddingDim(baseBundle);
            Gallery gallery = gallery(clip, l);
            if (gallery.dim() != baseDim) {
                throw new IOException((galleryFile != null ? galleryFile : photos) + ": embeddings have D = " + gallery.dim()
                        + " but the base bundle " + baseBundle + " embeds to D = " + baseDim);
            }
            int[] labels = labels(gallery, cells, l);
            GeocellHead start = zeroshot ? zeroShotHead(cells, clip, l) : null;
            TrainingResult result = trainHead(gallery, labels, cells, config, start, l);
            RefinementIndex index = refinement == null ? null : refinementIndex(gallery, labels, cells.size(), refinement, l);
            String modelName = name != null ? name : BundleFolder.defaultName(out);
            String provenance = provenance(gallery, cells, result);
            l.started(TrainingPhase.WRITE, -1);
            TrainedBundleWriter.write(baseBundle, out, new TrainedBundleWriter.Contents(cells, result.head(), index,
                    modelName, description(gallery, cells, result), provenance,
                    zeroshot ? BundleManifest.HEAD_INPUT_CLIP_IMAGE : null,
                    new BundleManifest.HeadSource(zeroshot ? "train-from-zeroshot" : "train", provenance)));
            l.note(TrainingPhase.WRITE, "wrote model bundle " + out);
            return new Result(out, modelName, gallery.size(), result);
        }
    }

    /**
     * Labels every gallery row with its geocell (the cell covering it, else the nearest centroid) and notes how the
     * rows spread over the cells.
     */
    public static int[] labels(Gallery gallery, GeocellSet cells, TrainingListener listener) {
        listener.started(TrainingPhase.LABEL, gallery.size());
        int[] labels = GeocellLabels.assign(cells, gallery);
        listener.note(TrainingPhase.LABEL, describeLabels(labels, cells.size()));
        return labels;
    }

    /**
     * Trains the head ({@link HeadTrainer}) and notes the epoch it kept.
     *
     * @param start the starting head [C, D], or null for a random one
     * @throws IOException when DJL's engine cannot start
     */
    public static TrainingResult trainHead(Gallery gallery, int[] labels, GeocellSet cells, TrainingConfig config,
                                           GeocellHead start, TrainingListener listener) throws IOException {
        TrainingResult result = new HeadTrainer(config, listener).train(gallery, labels, cells, start);
        listener.note(TrainingPhase.TRAIN, String.format(Locale.ROOT, "best epoch %d of %d on %s: validation median %.1f km",
                result.bestEpoch(), result.history().size(), result.device(), result.best().valMedianKm()));
        return result;
    }

    /** The refinement index over the labelled gallery ({@link RefinementIndexBuilder}). */
    public static RefinementIndex refinementIndex(Gallery gallery, int[] labels, int cells, RefinementIndexBuilder.Config config,
                                                  TrainingListener listener) {
        listener.started(TrainingPhase.REFINEMENT, cells);
        return new RefinementIndexBuilder(config, note(listener, TrainingPhase.REFINEMENT)).build(gallery, labels, cells);
    }

    /** "N photos over C geocells (E cells without photos)". */
    static String describeLabels(int[] labels, int cells) {
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
        return String.format(Locale.ROOT, "%d photos over %d geocells (%d cells without photos)", labels.length, cells, empty);
    }

    private Gallery gallery(ClipModel clip, TrainingListener l) throws IOException {
        l.started(TrainingPhase.EMBED, -1);
        if (galleryFile != null) {
            return Gallery.read(galleryFile);
        }
        Gallery g = clip != null ? embedWithClip(clip, l) : embedWithBackbone(l);
        if (saveGallery != null) {
            g.write(saveGallery, true);
            l.note(TrainingPhase.EMBED, "saved gallery of " + g.size() + " embeddings to " + saveGallery);
        }
        return g;
    }

    private Gallery embedWithBackbone(TrainingListener l) throws IOException {
        try (ModelBundle bundle = precision == null ? ModelBundle.load(baseBundle) : ModelBundle.load(baseBundle, precision)) {
            l.note(TrainingPhase.EMBED, "backbone: " + bundle.backbone().precision() + " on " + bundle.backbone().device()
                    + " (" + bundle.precisionReason() + ")");
            GalleryBuilder builder = new GalleryBuilder(bundle.backbone(),
                    bundle.manifest().preprocessConfig(bundle.backbone().inputSize()),
                    bundle.manifest().defaults().batchSize(), threads(), note(l, TrainingPhase.EMBED),
                    decoder::decode);
            return builder.build(photos, locations).gallery();
        }
    }

    private int threads() {
        return decodeThreads != null ? decodeThreads : DjlRuntime.defaultDecodeThreads();
    }

    /** Embeddings in CLIP's joint space (normalised projected image embedding), for a head started zero-shot. */
    private Gallery embedWithClip(ClipModel clip, TrainingListener l) throws IOException {
        try (Backbone encoder = clip.openImageEncoder()) {
            GalleryBuilder builder = new GalleryBuilder(encoder, clip.manifest().preprocessConfig(encoder.inputSize()),
                    clip.manifest().defaults().batchSize(), threads(), note(l, TrainingPhase.EMBED), decoder::decode);
            return builder.build(photos, locations).gallery();
        }
    }

    private static GeocellHead zeroShotHead(GeocellSet cells, ClipModel clip, TrainingListener l) throws IOException {
        l.started(TrainingPhase.START_HEAD, cells.size());
        List<List<String>> captions = new GeocellCaptioner(CaptionData.shipped(), GeocellCaptioner.Options.defaults())
                .captions(cells);
        return ZeroShotHead.build(captions, clip, ZEROSHOT_BATCH, note(l, TrainingPhase.START_HEAD));
    }

    private static Consumer<String> note(TrainingListener l, TrainingPhase phase) {
        return line -> l.note(phase, line);
    }

    private String description(Gallery g, GeocellSet cells, TrainingResult r) {
        return String.format(Locale.ROOT, "Geocell head trained by 'geopigeon train' on %d geotagged embeddings over %d geocells; "
                + "validation median error %.1f km (top-1 cell centroid, %d held-out photos). Backbone and preprocessing from the base bundle.",
                g.size(), cells.size(), r.best().valMedianKm(), r.valRows());
    }

    private String provenance(Gallery g, GeocellSet cells, TrainingResult r) {
        TrainingConfig c = config;
        String data = galleryFile != null ? "gallery " + galleryFile.getFileName() : "photos in " + photos.getFileName();
        return String.format(Locale.ROOT, "geopigeon train: base bundle %s; %s (%d rows, D=%d); geocells %s (%d); smoothing %s tau=%.1f km%s; "
                        + "AdamW lr=%g wd=%g batch=%d, best epoch %d/%d, val fraction %.2f, seed %d, device %s; refinement %s",
                baseBundle.getFileName(), data, g.size(), g.dim(), geocellFile.getFileName(), cells.size(),
                c.smoothing().name().toLowerCase(Locale.ROOT), c.tauKm(), c.normaliseTargets() ? " normalised" : "",
                c.learningRate(), c.weightDecay(), c.batchSize(), r.bestEpoch(), r.history().size(), c.valFraction(), c.seed(),
                r.device(), refinement == null ? "none" : "OPTICS min_samples=" + refinement.minSamples() + " xi=" + refinement.xi());
    }

    /**
     * Settings of a {@link TrainingPipeline}: the base bundle, geocells, output and one source of embeddings
     * ({@link #setGallery} or {@link #setPhotos}) are required.
     */
    public static final class Builder {
        private Path baseBundle;
        private Path geocells;
        private Path out;
        private Path gallery;
        private Path photos;
        private Path locations;
        private Path saveGallery;
        private String name;
        private TrainingConfig config = TrainingConfig.defaults();
        private RefinementIndexBuilder.Config refinement = RefinementIndexBuilder.Config.defaults();
        private Init init = Init.RANDOM;
        private PrecisionChoice precision;
        private Integer decodeThreads;
        private ImageDecoder decoder = new ImageDecoder();

        private Builder() {
        }

        /** The bundle whose backbone embeds the photos and whose files (backbone, preprocessing) the new one reuses. */
        public Builder setBaseBundle(Path dir) {
            this.baseBundle = Objects.requireNonNull(dir, "base bundle");
            return this;
        }

        /** The geocell GeoJSON (row order = class index). */
        public Builder setGeocells(Path file) {
            this.geocells = Objects.requireNonNull(file, "geocells");
            return this;
        }

        /** The new bundle folder (must not exist, or be empty). */
        public Builder setOutput(Path dir) {
            this.out = Objects.requireNonNull(dir, "output");
            return this;
        }

        /** Precomputed embeddings (safetensors: embeddings [N,D], latlon [N,2]) instead of photos. */
        public Builder setGallery(Path file) {
            this.gallery = Objects.requireNonNull(file, "gallery");
            return this;
        }

        /**
         * Geotagged photos to embed.
         *
         * @param locationsCsv {@code file,lat,lon} per photo instead of EXIF GPS, or null
         */
        public Builder setPhotos(Path folder, Path locationsCsv) {
            this.photos = Objects.requireNonNull(folder, "photos");
            this.locations = locationsCsv;
            return this;
        }

        /** Model name of the new bundle (default: the output folder's name). */
        public Builder optName(String modelName) {
            this.name = modelName;
            return this;
        }

        /** Head training settings (default {@link TrainingConfig#defaults()}). */
        public Builder optConfig(TrainingConfig trainingConfig) {
            this.config = Objects.requireNonNull(trainingConfig, "training config");
            return this;
        }

        /** OPTICS settings of the refinement index, or null to write none. */
        public Builder optRefinement(RefinementIndexBuilder.Config refinementConfig) {
            this.refinement = refinementConfig;
            return this;
        }

        /** How the head's weights start (default {@link Init#RANDOM}). */
        public Builder optInit(Init start) {
            this.init = Objects.requireNonNull(start, "init");
            return this;
        }

        /** With photos: the backbone's arithmetic (default: the process-wide choice). */
        public Builder optPrecision(PrecisionChoice choice) {
            this.precision = choice;
            return this;
        }

        /** With photos: threads decoding while the backbone embeds, at least 1. */
        public Builder optDecodeThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("decode threads must be >= 1, got " + threads);
            }
            this.decodeThreads = threads;
            return this;
        }

        /**
         * With photos: the decoder and its limits (default: the engine's {@link ImageLimits#defaults()}); front ends
         * pass the service's one rule set ({@code ImageRules#decoder()}), so a photo refused by {@code locate} is
         * skipped here too.
         */
        public Builder optImageDecoder(ImageDecoder imageDecoder) {
            this.decoder = Objects.requireNonNull(imageDecoder, "image decoder");
            return this;
        }

        /** With photos: also save the embeddings (F16) here for later runs. */
        public Builder optSaveGallery(Path file) {
            this.saveGallery = file;
            return this;
        }

        /** @throws IllegalStateException when a required setting is missing or two sources are given */
        public TrainingPipeline build() {
            if (baseBundle == null || geocells == null || out == null) {
                throw new IllegalStateException("a training pipeline needs a base bundle, geocells and an output folder");
            }
            if ((gallery == null) == (photos == null)) {
                throw new IllegalStateException("give either a gallery or photos, not " + (gallery == null ? "neither" : "both"));
            }
            if (saveGallery != null && photos == null) {
                throw new IllegalStateException("saving a gallery needs photos");
            }
            return new TrainingPipeline(this);
        }
    }
}
