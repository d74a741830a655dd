package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.captions.PhotoCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.pretrain.CaptionPretrainer;
import org.geopigeon.engine.pretrain.CaptionedPhoto;
import org.geopigeon.engine.pretrain.CaptionedPhotos;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.pretrain.PretrainConfig;
import org.geopigeon.engine.pretrain.PretrainedBundleWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon pretrain}: PIGEON's synthetic-caption contrastive pretraining of the vision tower on the user's
 * geotagged photos; writes a new CLIP bundle with the trained backbone (see {@link CaptionPretrainer}).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Contrastive pretraining of a CLIP bundle's vision tower on geotagged photos and synthetic captions"
                + " of their places (PIGEON). Real runs need a GPU. Progress goes to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:bundle written", "1:bad input or training failed (nothing written)", "2:invalid command line"})
final class PretrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", paramLabel = "CLIP_BUNDLE", required = true, description = "bundle with a 'clip' section")
    Path bundle;

    @Option(names = "--photos", paramLabel = "DIR", required = true, description = "folder of geotagged photos (EXIF GPS, or --locations)")
    Path photos;

    @Option(names = "--locations", paramLabel = "CSV", description = "file,lat,lon per photo instead of EXIF GPS")
    Path locations;

    @Option(names = "--geocells", paramLabel = "FILE", required = true,
            description = "geocells whose names, admin-1 and country go into the captions")
    Path geocells;

    @Mixin
    NewBundleOptions output;

    @Option(names = "--epochs", paramLabel = "N", description = "default: ${DEFAULT-VALUE}")
    int epochs = PretrainConfig.defaults().epochs();

    @Option(names = "--batch", paramLabel = "N", description = "photo-caption pairs per step (default: ${DEFAULT-VALUE})")
    int batch = PretrainConfig.defaults().batchSize();

    @Option(names = "--lr", paramLabel = "X", description = "AdamW learning rate (default: ${DEFAULT-VALUE})")
    double lr = PretrainConfig.defaults().learningRate();

    @Option(names = "--weight-decay", paramLabel = "X", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = PretrainConfig.defaults().weightDecay();

    @Option(names = "--trainable-blocks", paramLabel = "N",
            description = "last N transformer blocks updated (with post-LayerNorm and projection); -1 = all (default: ${DEFAULT-VALUE})")
    int trainableBlocks = PretrainConfig.defaults().trainableBlocks();

    @Option(names = "--seed", paramLabel = "N", description = "default: ${DEFAULT-VALUE}")
    long seed = PretrainConfig.defaults().seed();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        PretrainConfig config;
        try {
            config = new PretrainConfig(epochs, batch, lr, weightDecay, trainableBlocks, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            BundleFolder.requireNew(output.out);
            PhotoCaptioner captioner = new PhotoCaptioner(new GeocellCaptioner(CaptionData.shipped(),
                    GeocellCaptioner.Options.defaults()), new GeocellIndex(GeocellGeoJson.read(geocells)));
            CliImages images = CliImages.fromEnvironment(spec.commandLine());
            // The bundle first: a bundle without a 'clip' section is reported before any photo is decoded.
            try (ClipModel clip = ClipModel.load(bundle)) {
                List<CaptionedPhoto> list = CaptionedPhotos.collect(photos, locations, captioner, log, images.decoder());
                CaptionPretrainer.Result r = PretrainedBundleWriter.write(clip, list, output.out, output.modelName(), config,
                        log);
                log.accept(String.format(Locale.ROOT, "pretrained on %d photos in %.1f s on %s; loss %.4f -> %.4f",
                        r.pairs(), r.seconds(), r.device(), r.epochLoss().get(0), r.epochLoss().get(r.epochLoss().size() - 1)));
            }
            log.accept("wrote model bundle " + output.out + " (no geocell head: run 'geopigeon zeroshot' or 'geopigeon train' on it)");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
