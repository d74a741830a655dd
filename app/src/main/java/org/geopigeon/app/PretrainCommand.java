package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.captions.PhotoCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.pretrain.CaptionPretrainer;
import org.geopigeon.engine.pretrain.CaptionedPhoto;
import org.geopigeon.engine.pretrain.PretrainConfig;
import org.geopigeon.engine.pretrain.PretrainedBundleWriter;
import org.geopigeon.engine.io.CoordinateCsv;
import picocli.CommandLine.Command;
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

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".webp");

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

    @Option(names = "--out", paramLabel = "BUNDLE", required = true, description = "output bundle folder (must not exist or be empty)")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "model name (default: the output folder name)")
    String name;

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
            if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
                err.println("error: output bundle " + out + " already exists and is not empty; choose another --out");
                return 1;
            }
            PhotoCaptioner captioner = new PhotoCaptioner(new GeocellCaptioner(CaptionData.shipped(),
                    GeocellCaptioner.Options.defaults()), new GeocellIndex(GeocellGeoJson.read(geocells)));
            List<CaptionedPhoto> list = captionedPhotos(captioner, log);
            try (ClipModel clip = ClipModel.load(bundle)) {
                String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
                CaptionPretrainer.Result r = PretrainedBundleWriter.write(clip, list, out, modelName, config, log);
                log.accept(String.format(Locale.ROOT, "pretrained on %d photos in %.1f s on %s; loss %.4f -> %.4f",
                        r.pairs(), r.seconds(), r.device(), r.epochLoss().get(0), r.epochLoss().get(r.epochLoss().size() - 1)));
            }
            log.accept("wrote model bundle " + out + " (no geocell head: run 'geopigeon zeroshot' or 'geopigeon train' on it)");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** Photos with a position (CSV or EXIF GPS) and their captions; the EXIF capture month adds a season caption. */
    private List<CaptionedPhoto> captionedPhotos(PhotoCaptioner captioner, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(photos)) {
            throw new IOException(photos + ": photo folder not found");
        }
        List<Path> files = new ArrayList<>();
        List<LatLon> known = new ArrayList<>();
        if (locations != null) {
            for (CoordinateCsv.Row r : CoordinateCsv.read(locations, true)) {
                files.add(photos.resolve(r.file()).normalize());
                known.add(r.location());
            }
        } else {
            try (Stream<Path> s = Files.list(photos)) {
                s.filter(Files::isRegularFile).filter(p -> EXTENSIONS.stream()
                        .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().forEach(files::add);
            }
        }
        ImageDecoder decoder = new ImageDecoder();
        List<CaptionedPhoto> out = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            DecodedImage img;
            try {
                img = decoder.decode(f);
            } catch (ImageRejectedException e) {
                skipped++;
                log.accept("skip " + f.getFileName() + ": " + e.getMessage());
                continue;
            }
            LatLon where = locations != null ? known.get(i) : img.exifGps();
            if (where == null) {
                skipped++;
                log.accept("skip " + f.getFileName() + ": no EXIF GPS position");
                continue;
            }
            out.add(new CaptionedPhoto(f, captioner.captions(where, month(img.exifTimestamp()))));
        }
        log.accept(String.format(Locale.ROOT, "%d photos with captions, %d skipped", out.size(), skipped));
        if (out.size() < 2) {
            throw new IOException(photos + ": need at least 2 usable geotagged photos, found " + out.size());
        }
        return out;
    }

    /** Month of an EXIF DateTimeOriginal ("yyyy:MM:dd HH:mm:ss"), or null when absent or malformed. */
    static Month month(String exifTimestamp) {
        if (exifTimestamp == null || exifTimestamp.length() < 7) {
            return null;
        }
        try {
            int m = Integer.parseInt(exifTimestamp.substring(5, 7));
            return m >= 1 && m <= 12 ? Month.of(m) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
