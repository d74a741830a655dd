package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.clip.ZeroShotHead;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.train.TrainedBundleWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon zeroshot}: a working geolocator from a CLIP checkpoint and no photos. Writes a complete bundle
 * (a copy of the CLIP bundle plus the geocells and a head) whose head rows are the normalised mean text
 * embeddings of each geocell's captions times the logit scale, taking CLIP's normalised image embedding
 * ({@code headInput = clip-image}). Nothing is written unless everything succeeded.
 */
@Command(name = "zeroshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a zero-shot geocell head from captions of every geocell and a CLIP bundle's text tower;"
                + " write a complete model bundle.", "Progress goes to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:bundle written", "1:bad input (nothing written)", "2:invalid command line"})
final class ZeroshotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", paramLabel = "CLIP_BUNDLE", required = true,
            description = "bundle with a 'clip' section (text tower, tokenizer): tools/import_backbone.sh of a full CLIP"
                    + " checkpoint, or sample-data/demo-clip-bundle")
    Path bundle;

    @Option(names = "--geocells", paramLabel = "FILE", required = true, description = "geocell GeoJSON (class order)")
    Path geocells;

    @Option(names = "--out", paramLabel = "BUNDLE", required = true, description = "output bundle folder (must not exist or be empty)")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "model name of the new bundle (default: the output folder name)")
    String name;

    @Option(names = "--towns-per-cell", paramLabel = "N", description = "towns named per cell (default: ${DEFAULT-VALUE})")
    int townsPerCell = GeocellCaptioner.Options.defaults().townsPerCell();

    @Option(names = "--nearby-town-km", paramLabel = "KM",
            description = "for cells without a town inside: search radius around the centroid (default: ${DEFAULT-VALUE})")
    double nearbyKm = GeocellCaptioner.Options.defaults().nearbyTownKm();

    @Option(names = "--templates", paramLabel = "FILE", description = "caption templates instead of the shipped ones (format: sample-data/captions/templates.txt)")
    Path templates;

    @Option(names = "--batch", paramLabel = "N", description = "captions per text-tower call (default: ${DEFAULT-VALUE})")
    int batch = 64;

    @Option(names = "--save-captions", paramLabel = "FILE", description = "also write the captions as TSV: class_index, cell_id, caption")
    Path saveCaptions;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        GeocellCaptioner.Options options;
        try {
            options = new GeocellCaptioner.Options(townsPerCell, nearbyKm);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be positive, got " + batch);
        }
        try {
            if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
                err.println("error: output bundle " + out + " already exists and is not empty; choose another --out");
                return 1;
            }
            GeocellSet cells = GeocellGeoJson.read(geocells);
            CaptionData data = templates == null ? CaptionData.shipped() : CaptionData.withTemplates(templates);
            List<List<String>> captions = new GeocellCaptioner(data, options).captions(cells);
            int total = captions.stream().mapToInt(List::size).sum();
            log.accept(String.format(Locale.ROOT, "%d captions for %d geocells (%.1f per cell)", total, cells.size(),
                    (double) total / cells.size()));
            if (saveCaptions != null) {
                writeCaptions(cells, captions, saveCaptions);
            }
            GeocellHead head;
            double scale;
            String clipName;
            try (ClipModel clip = ClipModel.load(bundle)) {
                head = ZeroShotHead.build(captions, clip, batch, log);
                scale = clip.logitScale();
                clipName = clip.manifest().name();
            }
            String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
            String detail = String.format(Locale.ROOT, "zero-shot: row c = %.4g * normalise(mean of the normalised CLIP text "
                    + "embeddings of cell c's captions), bias 0; %d captions over %d geocells from %s templates, up to %d "
                    + "towns per cell (GeoNames cities500, CC BY 4.0; %.0f km search for cells without one); text tower "
                    + "of bundle '%s'", scale, total, cells.size(), templates == null ? "the shipped" : templates.getFileName()
                    + "'s", townsPerCell, nearbyKm, clipName);
            String description = String.format(Locale.ROOT, "Zero-shot geolocator: CLIP image-text similarity to captions "
                    + "of %d geocells (prompt ensembling), no geotagged photos used. Train it further with "
                    + "'geopigeon train --init zeroshot'.", cells.size());
            String provenance = String.format(Locale.ROOT, "geopigeon zeroshot: CLIP bundle %s; geocells %s (%d); %s.",
                    bundle.toAbsolutePath().normalize().getFileName(), geocells.getFileName(), cells.size(), detail);
            TrainedBundleWriter.write(bundle, out, new TrainedBundleWriter.Contents(cells, head, null, modelName, description,
                    provenance, BundleManifest.HEAD_INPUT_CLIP_IMAGE, new BundleManifest.HeadSource("zeroshot", detail)));
            log.accept("wrote model bundle " + out);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static void writeCaptions(GeocellSet cells, List<List<String>> captions, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("class_index\tcell_id\tcaption");
        for (int i = 0; i < cells.size(); i++) {
            for (String c : captions.get(i)) {
                lines.add(i + "\t" + cells.get(i).id() + "\t" + c);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
