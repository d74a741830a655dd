package org.geopigeon.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.predict.EmbeddingLocator;
import org.geopigeon.app.plot.ErrorCdfPlot;
import org.geopigeon.engine.eval.ErrorMetrics;
import org.geopigeon.engine.eval.EvaluationReport;
import org.geopigeon.engine.eval.Evaluator;
import org.geopigeon.engine.eval.GeocellOracle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.engine.refine.RetrievalRefiner;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.train.Gallery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon evaluate}: scores a model bundle against ground truth (photos + CSV, or a gallery
 * of precomputed embeddings), or scores a geocell set alone ({@code --oracle}: every photo predicted
 * at the centroid of its own cell, the floor a classification-only model cannot beat). Prints a metric
 * table or JSON on stdout; optionally draws the error CDF as PNG.
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

    @Option(names = "--bundle", paramLabel = "DIR", description = "model bundle (default: $GEOPIGEON_BUNDLE, else the demo bundle)")
    String bundle;

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

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also write the error CDF as PNG")
    Path plot;

    @Option(names = "--precision", paramLabel = "P", converter = PrecisionOption.class,
            description = "with --images: backbone arithmetic, auto|fp32|bf16|fp16|int8 (default: $GEOPIGEON_PRECISION,"
                    + " else auto = bf16 where the hardware runs it natively)")
    PrecisionChoice precision;

    private final ImageDecoder decoder = new ImageDecoder();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        try {
            Evaluated e = oracle ? oracle() : gallery != null ? galleryRun(err) : imageRun(err);
            if (plot != null) {
                ErrorCdfPlot.write(plot, "Geolocation error CDF: " + e.report().label(), e.errorsKm());
            }
            out.println(json ? e.report().toJsonString() : e.report().toTable());
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private record Evaluated(EvaluationReport report, double[] errorsKm) {
    }

    private void checkArguments() {
        if (oracle) {
            if (geocells == null || truth == null) {
                throw new ParameterException(spec.commandLine(), "--oracle needs --geocells FILE and --truth CSV");
            }
            if (gallery != null || images != null || bundle != null) {
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

    private Evaluated oracle() throws IOException {
        GeocellSet cells = GeocellGeoJson.read(geocells);
        List<LatLon> points = CoordinateCsv.read(truth, false).stream().map(CoordinateCsv.Row::location).toList();
        double[] km = GeocellOracle.errorsKm(cells, points);
        // Cell and country figures are 100% by construction for the oracle: left out.
        EvaluationReport r = new EvaluationReport("geocell oracle: " + geocells.getFileName() + " (" + cells.size() + " cells)",
                ErrorMetrics.fromDistances(km), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Evaluated(r, km);
    }

    private Evaluated galleryRun(PrintWriter err) throws IOException {
        Gallery g = Gallery.read(gallery);
        try (ModelBundle model = ModelBundle.load(BundleLocator.resolve(bundle))) {
            if (g.dim() != model.head().dim()) {
                throw new IOException(gallery + ": embeddings have D = " + g.dim() + " but model '" + model.name()
                        + "' expects D = " + model.head().dim() + " (embed with this bundle's backbone)");
            }
            warnIfUntrained(model, err);
            boolean refine = !noRefinement && model.refinement().isPresent();
            var d = model.manifest().defaults();
            RetrievalRefiner refiner = refine
                    ? new RetrievalRefiner(model.refinement().get(), model.geocells(), d.temperature(), d.fallbackKm()) : null;
            EmbeddingLocator locator = new EmbeddingLocator(model.head(), model.geocells(), refiner, 5, d.refineTopK());
            List<Evaluator.Scored> scored = new ArrayList<>(g.size());
            for (int i = 0; i < g.size(); i++) {
                EmbeddingLocator.Result r = locator.locate(g.embedding(i));
                scored.add(new Evaluator.Scored(r.location(), r.topCells(), r.refined()));
            }
            List<LatLon> truthPoints = g.locations();
            String label = model.name() + " on " + gallery.getFileName() + (refine ? " (refinement on)" : " (refinement off)");
            return new Evaluated(new Evaluator(model.geocells()).evaluate(label, scored, truthPoints, refine),
                    Evaluator.errorsKm(scored, truthPoints));
        }
    }

    private Evaluated imageRun(PrintWriter err) throws IOException {
        List<CoordinateCsv.Row> rows = CoordinateCsv.read(truth, true);
        Path folder = images != null ? images : truth.toAbsolutePath().getParent();
        Path bundleDir = BundleLocator.resolve(bundle);
        try (ModelBundle model = precision == null ? ModelBundle.load(bundleDir) : ModelBundle.load(bundleDir, precision)) {
            warnIfUntrained(model, err);
            err.println("backbone: " + model.backbone().precision() + " on " + model.backbone().device() + " ("
                    + model.precisionReason() + ")");
            Geolocator geolocator = new Geolocator(model);
            boolean refine = !noRefinement && geolocator.canRefine();
            LocateOptions options = new LocateOptions(5, refine);
            int batch = model.manifest().defaults().batchSize();
            List<Evaluator.Scored> scored = new ArrayList<>();
            List<LatLon> truthPoints = new ArrayList<>();
            List<BufferedImage> pending = new ArrayList<>();
            List<LatLon> pendingTruth = new ArrayList<>();
            int rejected = 0;
            for (int i = 0; i < rows.size(); i++) {
                CoordinateCsv.Row row = rows.get(i);
                Path file = folder.resolve(row.file());
                try {
                    pending.add(decoder.decode(file).rgb());
                    pendingTruth.add(row.location());
                } catch (ImageRejectedException e) {
                    rejected++;
                    err.println("skip " + row.file() + " (" + truth.getFileName() + " line " + row.line() + "): "
                            + LocateCommand.problem(e));
                    err.flush();
                }
                if (pending.size() == batch || (i == rows.size() - 1 && !pending.isEmpty())) {
                    List<List<BufferedImage>> requests = pending.stream().map(List::of).toList();
                    for (Prediction p : geolocator.locateBatch(requests, options, StageListener.NONE)) {
                        scored.add(new Evaluator.Scored(p.location(), p.topCells().stream()
                                .mapToInt(c -> c.cell().index()).toArray(), p.refined()));
                    }
                    truthPoints.addAll(pendingTruth);
                    pending.clear();
                    pendingTruth.clear();
                    err.printf(Locale.ROOT, "evaluated %d/%d images%n", i + 1, rows.size());
                    err.flush();
                }
            }
            if (scored.isEmpty()) {
                throw new IOException(truth + ": none of the " + rows.size() + " listed images could be read from " + folder);
            }
            if (rejected > 0) {
                err.println(rejected + " of " + rows.size() + " images skipped; metrics cover the other " + scored.size());
            }
            String label = model.name() + " on " + truth.getFileName() + (refine ? " (refinement on)" : " (refinement off)");
            return new Evaluated(new Evaluator(model.geocells()).evaluate(label, scored, truthPoints, refine),
                    Evaluator.errorsKm(scored, truthPoints));
        }
    }

    private static void warnIfUntrained(ModelBundle model, PrintWriter err) {
        if (!model.manifest().trained()) {
            err.println("WARNING: model '" + model.name() + "' is untrained demo weights: expect chance-level accuracy");
            err.flush();
        }
    }
}
