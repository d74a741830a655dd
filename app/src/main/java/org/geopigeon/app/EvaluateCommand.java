package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.geopigeon.app.plot.ErrorCdfPlot;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.eval.Evaluation;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.train.Gallery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon evaluate}: scores a model bundle against ground truth (photos + CSV, or a gallery
 * of precomputed embeddings), or scores a geocell set alone ({@code --oracle}: every photo predicted
 * at the centroid of its own cell, the floor a classification-only model cannot beat). Prints a metric
 * table or JSON on stdout; optionally draws the error CDF as PNG. The pipelines are the engine's
 * ({@link Evaluation}); this command reads the options and shows the result.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure geolocation accuracy against ground truth.",
                "  evaluate --bundle DIR --truth CSV [--images DIR]    photos listed as file,lat,lon",
                "  evaluate --bundle DIR --gallery FILE                precomputed embeddings with true lat/lon",
                "  evaluate --oracle --geocells FILE --truth CSV       geocell oracle (lat,lon columns)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:evaluated", "1:bad input (message on stderr)", "2:invalid command line"})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BundleOption bundle;

    @Option(names = "--truth", paramLabel = "CSV", description = "ground truth: file,lat,lon (images) or lat,lon (--oracle); headers case-insensitive")
    Path truth;

    @Option(names = "--images", paramLabel = "DIR", description = "folder the truth CSV's file names are relative to (default: the CSV's folder)")
    Path images;

    @Option(names = "--gallery", paramLabel = "FILE", description = "precomputed embeddings and true coordinates instead of images")
    Path gallery;

    @Option(names = "--oracle", description = "evaluate geocells alone: predict each photo at its own cell's centroid")
    boolean oracle;

    @Option(names = "--geocells", paramLabel = "FILE", description = "with --oracle: the geocell GeoJSON")
    Path geocells;

    @Option(names = "--no-refinement", description = "report the top cell's centroid even when the bundle has a refinement index")
    boolean noRefinement;

    @Mixin
    JsonOption json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also write the error CDF as PNG")
    Path plot;

    /** With --images: the backbone's arithmetic. */
    @Mixin
    PrecisionOption precision;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        CliProgress<Evaluation.Phase> progress = new CliProgress<>(err, phase -> "images");
        try {
            Evaluation.Outcome e = oracle ? oracle() : gallery != null ? galleryRun(err) : imageRun(err, progress);
            progress.finish();
            if (plot != null) {
                ErrorCdfPlot.write(plot, "Geolocation error CDF: " + e.report().label(), e.errorsKm());
            }
            out.println(json.json ? e.report().toJsonString() : e.report().toTable());
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            progress.finish();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void checkArguments() {
        if (oracle) {
            if (geocells == null || truth == null) {
                throw new ParameterException(spec.commandLine(), "--oracle needs --geocells FILE and --truth CSV");
            }
            if (gallery != null || images != null || bundle.bundle != null) {
                throw new ParameterException(spec.commandLine(), "--oracle takes no --bundle, --gallery or --images");
            }
            return;
        }
        if (geocells != null) {
            throw new ParameterException(spec.commandLine(), "--geocells is only for --oracle (a bundle has its own geocells)");
        }
        if ((gallery == null) == (truth == null)) {
            throw new ParameterException(spec.commandLine(), "give either --truth CSV (with images) or --gallery FILE");
        }
        if (gallery != null && images != null) {
            throw new ParameterException(spec.commandLine(), "--images goes with --truth, not with --gallery");
        }
    }

    private Evaluation.Outcome oracle() throws IOException {
        GeocellSet cells = GeocellGeoJson.read(geocells);
        List<org.geopigeon.engine.geo.LatLon> points = CoordinateCsv.read(truth, false).stream()
                .map(CoordinateCsv.Row::location).toList();
        return Evaluation.oracle(cells, points, "geocell oracle: " + geocells.getFileName() + " (" + cells.size() + " cells)");
    }

    private Evaluation.Outcome galleryRun(PrintWriter err) throws IOException {
        Gallery g = Gallery.read(gallery);
        try (ModelBundle model = ModelBundle.load(bundle.dir())) {
            BundleOption.warnIfUntrained(model, err, "expect chance-level accuracy");
            return Evaluation.gallery(model, g, gallery.getFileName().toString(), !noRefinement);
        }
    }

    private Evaluation.Outcome imageRun(PrintWriter err, CliProgress<Evaluation.Phase> progress) throws IOException {
        List<CoordinateCsv.Row> rows = CoordinateCsv.read(truth, true);
        Path folder = images != null ? images : truth.toAbsolutePath().getParent();
        try (ModelBundle model = precision.load(bundle.dir(), err)) {
            BundleOption.warnIfUntrained(model, err, "expect chance-level accuracy");
            return Evaluation.images(new Geolocator(model), rows, folder, truth.getFileName().toString(), !noRefinement,
                    progress, CliImages.fromEnvironment(spec.commandLine()).decoder());
        }
    }
}
