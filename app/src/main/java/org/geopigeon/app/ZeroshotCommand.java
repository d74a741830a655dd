package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.train.ZeroShotBundleWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon zeroshot}: a working geolocator from a CLIP checkpoint and no photos. Writes a complete bundle
 * (a copy of the CLIP bundle plus the geocells and a head) whose head rows are the normalised mean text
 * embeddings of each geocell's captions times the logit scale, taking CLIP's normalised image embedding
 * ({@code headInput = clip-image}). Nothing is written unless everything succeeded. The pipeline is the engine's
 * ({@link ZeroShotBundleWriter}).
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

    @Mixin
    NewBundleOptions output;

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
            CaptionData data = templates == null ? CaptionData.shipped() : CaptionData.withTemplates(templates);
            ZeroShotBundleWriter.Captions captions = new ZeroShotBundleWriter.Captions(data,
                    templates == null ? null : templates.getFileName().toString(), options, batch);
            ZeroShotBundleWriter.write(bundle, geocells, captions, output.out, output.modelName(), saveCaptions, line -> {
                err.println(line);
                err.flush();
            });
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
