package org.geopigeon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.geopigeon.engine.predict.EmbeddingLocator;
import org.geopigeon.app.plot.ErrorCdfPlot;
import org.geopigeon.engine.eval.ErrorMetrics;
import org.geopigeon.engine.eval.EvaluationReport;
import org.geopigeon.engine.eval.Evaluation;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.build.BoundaryLayer;
import org.geopigeon.engine.geocell.build.BoundaryReader;
import org.geopigeon.engine.geocell.build.BuildOptions;
import org.geopigeon.engine.geocell.build.GeocellBuilder;
import org.geopigeon.engine.geocell.build.PointSet;
import org.geopigeon.engine.geocell.build.TrainingPoint;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.refine.RetrievalRefiner;
import org.geopigeon.engine.train.Gallery;
import org.geopigeon.engine.train.RefinementIndexBuilder;
import org.geopigeon.engine.train.SmoothingMode;
import org.geopigeon.engine.train.TrainingConfig;
import org.geopigeon.engine.train.TrainingListener;
import org.geopigeon.engine.train.TrainingPipeline;
import org.geopigeon.engine.train.TrainingResult;

/**
 * Proof that the training machinery learns, on SYNTHETIC embeddings (no images, no CLIP): every
 * photo location of the GeoCLIP 100k set gets an embedding that depends on where it is, namely
 * random Fourier features cos(w . u + b) of the 3-D unit vector u of (lat, lon) at several frequency
 * scales (continent down to ~10 km wavelengths) plus Gaussian noise. Semantic geocells are built from
 * the training split with {@link GeocellBuilder}; the head is trained with one-hot and with haversine
 * smoothed targets, and each head is scored on the held-out split with refinement off and on.
 *
 * <pre>
 * java ... org.geopigeon.bench.SyntheticExperiment [--points CSV] [--boundaries DIR] [--sample N]
 *      [--min 100] [--max 200] [--dim 64] [--noise 0.3] [--epochs 6] [--lr 0.03] [--batch 1024]
 *      [--tau 65] [--seed 42] [--out DIR]
 * </pre>
 * tools/run_synthetic_experiment.sh builds and runs it. Prints a markdown table on stdout.
 */
public final class SyntheticExperiment {

    record Options(Path points, Path boundaries, int sample, int minPoints, int maxPoints, int dim, double noise,
                   int epochs, double lr, int batch, double tau, long seed, Path out) {

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
                }
                m.put(args[i].substring(2), args[++i]);
            }
            Options o = new Options(Path.of(m.getOrDefault("points", "../shared/data/points/geoclip_coordinates_100k.csv")),
                    Path.of(m.getOrDefault("boundaries", "sample-data/boundaries")),
                    Integer.parseInt(m.getOrDefault("sample", "100000")),
                    Integer.parseInt(m.getOrDefault("min", "100")), Integer.parseInt(m.getOrDefault("max", "200")),
                    Integer.parseInt(m.getOrDefault("dim", "64")), Double.parseDouble(m.getOrDefault("noise", "0.3")),
                    Integer.parseInt(m.getOrDefault("epochs", "6")), Double.parseDouble(m.getOrDefault("lr", "0.03")),
                    Integer.parseInt(m.getOrDefault("batch", "1024")), Double.parseDouble(m.getOrDefault("tau", "65")),
                    Long.parseLong(m.getOrDefault("seed", "42")), m.containsKey("out") ? Path.of(m.get("out")) : null);
            return o;
        }
    }

    /**
     * Location-dependent embeddings: D random Fourier features of the unit vector of (lat, lon), split
     * evenly over frequency scales sigma (radians^-1 on the unit sphere; wavelength = 2 pi R / sigma),
     * plus N(0, noise^2) per dimension. Smooth at coarse scales (a linear head can separate regions),
     * sharp at fine ones (nearest neighbours in embedding space are near on the ground: what
     * refinement needs). Immutable.
     */
    static final class FourierFeatures {
        static final List<Double> SCALES = List.of(1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0);
        private final double[] w;
        private final double[] b;
        private final int dim;
        private final double noise;

        FourierFeatures(int dim, double noise, long seed) {
            Random r = new Random(seed);
            this.dim = dim;
            this.noise = noise;
            w = new double[3 * dim];
            b = new double[dim];
            for (int j = 0; j < dim; j++) {
                double s = SCALES.get(j * SCALES.size() / dim);
                for (int k = 0; k < 3; k++) {
                    w[3 * j + k] = r.nextGaussian() * s;
                }
                b[j] = r.nextDouble() * 2 * Math.PI;
            }
        }

        void embed(double lat, double lon, Random noiseRng, float[] out, int offset) {
            double p = Math.toRadians(lat);
            double l = Math.toRadians(lon);
            double x = Math.cos(p) * Math.cos(l);
            double y = Math.cos(p) * Math.sin(l);
            double z = Math.sin(p);
            for (int j = 0; j < dim; j++) {
                double v = Math.cos(w[3 * j] * x + w[3 * j + 1] * y + w[3 * j + 2] * z + b[j]);
                out[offset + j] = (float) (v + noise * noiseRng.nextGaussian());
            }
        }

        Gallery gallery(List<LatLon> points, Random noiseRng) {
            float[] e = new float[points.size() * dim];
            float[] ll = new float[points.size() * 2];
            for (int i = 0; i < points.size(); i++) {
                embed(points.get(i).lat(), points.get(i).lon(), noiseRng, e, i * dim);
                ll[2 * i] = (float) points.get(i).lat();
                ll[2 * i + 1] = (float) points.get(i).lon();
            }
            return new Gallery(dim, e, ll);
        }
    }

    /** One row of the result table. */
    record Row(String name, EvaluationReport report, double[] errorsKm) {
    }

    private SyntheticExperiment() {
    }

    /**
     * Runs the synthetic training experiment end to end and prints the table of README.md's "Proof the training
     * machinery learns"; options as the class comment and {@code tools/run_synthetic_experiment.sh} describe.
     */
    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        long t0 = System.nanoTime();
        List<LatLon> all = new ArrayList<>(CoordinateCsv.read(o.points(), false).stream().map(CoordinateCsv.Row::location).toList());
        Random split = new Random(o.seed());
        java.util.Collections.shuffle(all, split);
        if (o.sample() < all.size()) {
            all = new ArrayList<>(all.subList(0, o.sample()));
        }
        int testCount = all.size() / 10;
        List<LatLon> test = all.subList(0, testCount);
        List<LatLon> train = all.subList(testCount, all.size());
        log("points: %d (train %d, test %d) from %s", all.size(), train.size(), test.size(), o.points());

        long t1 = System.nanoTime();
        List<TrainingPoint> tp = train.stream().map(p -> new TrainingPoint(p.lat(), p.lon(), 1)).toList();
        List<BoundaryLayer> layers = List.of(BoundaryReader.read(o.boundaries().resolve("countries.geojson"), true),
                BoundaryReader.read(o.boundaries().resolve("admin1.geojson"), false));
        GeocellSet cells = new GeocellBuilder(new BuildOptions(o.minPoints(), o.maxPoints(), BuildOptions.PIGEON_SEED))
                .build(new PointSet(o.points().getFileName().toString(), tp, 0, List.of()), layers).cells();
        log("geocells: %d semantic cells (MIN %d / MAX %d, countries + admin-1) in %.1f s", cells.size(), o.minPoints(),
                o.maxPoints(), secs(t1));

        FourierFeatures features = new FourierFeatures(o.dim(), o.noise(), o.seed() + 1);
        Gallery trainGallery = features.gallery(train, new Random(o.seed() + 2));
        Gallery testGallery = features.gallery(test, new Random(o.seed() + 3));
        // The same steps as 'geopigeon train' (TrainingPipeline) and 'geopigeon evaluate' (Evaluation).
        TrainingListener progress = TrainingListener.lines(SyntheticExperiment::log);
        int[] labels = TrainingPipeline.labels(trainGallery, cells, progress);

        long t2 = System.nanoTime();
        RefinementIndex index = TrainingPipeline.refinementIndex(trainGallery, labels, cells.size(),
                RefinementIndexBuilder.Config.defaults(), progress);
        log("refinement index built in %.1f s", secs(t2));
        RetrievalRefiner refiner = new RetrievalRefiner(index, cells, 1.6, 1000);

        List<Row> rows = new ArrayList<>();
        rows.add(oracle(cells, test));
        TrainingConfig base = TrainingConfig.builder().epochs(o.epochs()).learningRate(o.lr()).batchSize(o.batch())
                .tauKm(o.tau()).seed(o.seed()).patience(3).build();
        for (SmoothingMode mode : new SmoothingMode[] {SmoothingMode.ONE_HOT, SmoothingMode.MIN}) {
            long t3 = System.nanoTime();
            log("training head: %s targets", name(mode));
            TrainingResult r = TrainingPipeline.trainHead(trainGallery, labels, cells, base.withSmoothing(mode), null, progress);
            log("  best epoch %d, %.1f s", r.bestEpoch(), secs(t3));
            for (boolean refine : new boolean[] {false, true}) {
                String rowName = name(mode) + (refine ? ", refinement on" : ", refinement off");
                Evaluation.Outcome e = Evaluation.embeddings(new EmbeddingLocator(r.head(), cells, refine ? refiner : null, 5, 5),
                        testGallery, rowName);
                rows.add(new Row(rowName, e.report(), e.errorsKm()));
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "SYNTHETIC embeddings (not images): D=%d random Fourier features of the 3-D unit vector of lat/lon, "
                        + "scales %s rad^-1, noise sigma %.2f; %d GeoCLIP photo locations, %d train / %d test (seed %d); "
                        + "%d semantic geocells (MIN %d / MAX %d); head: AdamW lr %g, batch %d, <= %d epochs, early stopping on val median; "
                        + "tau %.0f km; refinement: OPTICS (10, 0.1), top-5 cells, T=1.6, fallback 1000 km. Total %.0f s on %d cores.%n%n",
                o.dim(), FourierFeatures.SCALES, o.noise(), all.size(), train.size(), test.size(), o.seed(),
                cells.size(), o.minPoints(), o.maxPoints(), o.lr(), o.batch(), o.epochs(), o.tau(), secs(t0),
                Runtime.getRuntime().availableProcessors());
        System.out.println(markdown(rows));
        if (o.out() != null) {
            Files.createDirectories(o.out());
            Files.writeString(o.out().resolve("synthetic_experiment.md"), markdown(rows));
            Map<String, double[]> series = new LinkedHashMap<>();
            rows.forEach(r -> series.put(r.name(), r.errorsKm()));
            ErrorCdfPlot.write(o.out().resolve("synthetic_experiment_cdf.png"), "SYNTHETIC embeddings: error CDF on the test split", series);
            GeocellGeoJson.write(cells, o.out().resolve("synthetic_geocells.geojson"));
            log("wrote %s", o.out().toAbsolutePath());
        }
    }

    private static Row oracle(GeocellSet cells, List<LatLon> test) {
        Evaluation.Outcome e = Evaluation.oracle(cells, test, "oracle");
        // The table shows the oracle's cell and country figures, 100% by construction (the CLI leaves them out).
        EvaluationReport r = e.report();
        return new Row("geocell oracle (true cell's centroid)",
                new EvaluationReport(r.label(), r.metrics(), 1.0, 1.0, 1.0, Double.NaN), e.errorsKm());
    }

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model (synthetic) | acc@1 km | acc@25 km | acc@200 km | acc@750 km | acc@2500 km | median km | mean km | GeoGuessr | cell top-1 |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            ErrorMetrics.Result m = r.report().metrics();
            sb.append("| ").append(r.name());
            for (double t : ErrorMetrics.THRESHOLDS_KM) {
                sb.append(String.format(Locale.ROOT, " | %.1f%%", 100 * m.accuracyWithin(t)));
            }
            sb.append(String.format(Locale.ROOT, " | %.1f | %.1f | %.0f | %.1f%% |%n", m.medianKm(), m.meanKm(),
                    m.meanGeoGuessrScore(), 100 * r.report().geocellTop1()));
        }
        return sb.toString();
    }

    private static String name(SmoothingMode m) {
        return m == SmoothingMode.ONE_HOT ? "one-hot" : "haversine smoothing";
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    private static void log(String line) {
        System.err.println(line);
    }
}
