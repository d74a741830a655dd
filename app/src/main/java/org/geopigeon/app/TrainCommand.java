package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.train.HaversineLabelSmoother;
import org.geopigeon.engine.train.RefinementIndexBuilder;
import org.geopigeon.engine.train.SmoothingMode;
import org.geopigeon.engine.train.TrainingConfig;
import org.geopigeon.engine.train.TrainingListener;
import org.geopigeon.engine.train.TrainingPhase;
import org.geopigeon.engine.train.TrainingPipeline;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon train}: trains a geocell head (haversine-smoothed cross-entropy, AdamW, early
 * stopping on validation median km) on embeddings of geotagged photos, builds the refinement index
 * and writes a new model bundle (a copy of the base bundle with the new geocells, head, index and
 * manifest). The bundle appears only when everything succeeded. The pipeline is the engine's
 * ({@link TrainingPipeline}); this command turns options into its settings and shows its progress.
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

    @Mixin
    NewBundleOptions output;

    @Option(names = "--base-bundle", paramLabel = "DIR",
            description = "bundle whose backbone and preprocessing are reused (default: $GEOPIGEON_BUNDLE, else the demo bundle)")
    String baseBundle;

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

    /** With --photos: the backbone's arithmetic for embedding. */
    @Mixin
    PrecisionOption precision;

    /** With --photos: threads decoding photos while the backbone embeds. */
    @Mixin
    DecodeThreadsOption decodeThreads;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainingPipeline pipeline = pipeline();
        CliTrainingProgress progress = new CliTrainingProgress(err);
        try {
            pipeline.run(progress);
            progress.finish();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            progress.finish();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The engine's pipeline from the options; a bad option is a usage error (exit code 2). */
    private TrainingPipeline pipeline() {
        if (locations != null && source.photos == null) {
            throw new ParameterException(spec.commandLine(), "--locations needs --photos");
        }
        if (saveGallery != null && source.photos == null) {
            throw new ParameterException(spec.commandLine(), "--save-gallery needs --photos");
        }
        TrainingPipeline.Init start;
        try {
            start = TrainingPipeline.Init.parse(init);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage()); // "--init must be ..."
        }
        try {
            TrainingPipeline.Builder b = TrainingPipeline.builder()
                    .setBaseBundle(BundleLocator.resolve(baseBundle))
                    .setGeocells(geocells)
                    .setOutput(output.out)
                    .optName(output.name)
                    .optConfig(TrainingConfig.builder().smoothing(SmoothingMode.parse(smoothing)).tauKm(tau)
                            .normaliseTargets(normalise).learningRate(lr).weightDecay(weightDecay).epochs(epochs)
                            .batchSize(batch).valFraction(valFraction).patience(patience).seed(seed).build())
                    .optRefinement(noRefinement ? null : new RefinementIndexBuilder.Config(refineMinSamples, refineXi,
                            RefinementIndexBuilder.Config.defaults().maxPointsPerCell()))
                    .optInit(start)
                    .optPrecision(precision.choice);
            if (source.gallery != null) {
                b.setGallery(source.gallery);
            } else {
                b.setPhotos(source.photos, locations).optSaveGallery(saveGallery)
                        .optImageDecoder(CliImages.fromEnvironment(spec.commandLine()).decoder())
                        .optDecodeThreads(decodeThreads.resolve(spec.commandLine()));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Training progress on stderr: a bar over the epochs on a terminal, every epoch's figures as a line. */
    static final class CliTrainingProgress extends CliProgress<TrainingPhase> implements TrainingListener {
        CliTrainingProgress(PrintWriter err) {
            super(err, phase -> switch (phase) {
                case TRAIN -> "epochs";
                case LABEL, EMBED, START_HEAD, REFINEMENT, WRITE -> null;
            });
        }
    }
}
