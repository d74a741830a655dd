package org.geopigeon.engine.bench;

import com.google.common.geometry.S2CellId;
import com.google.common.geometry.S2LatLng;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geopigeon.engine.eval.ErrorMetrics;
import org.geopigeon.engine.eval.GeocellOracle;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.build.BoundaryLayer;
import org.geopigeon.engine.geocell.build.BoundaryReader;
import org.geopigeon.engine.geocell.build.BuildOptions;
import org.geopigeon.engine.geocell.build.BuildResult;
import org.geopigeon.engine.geocell.build.GeocellBuilder;
import org.geopigeon.engine.geocell.build.PointCsvReader;
import org.geopigeon.engine.geocell.build.PointSet;
import org.geopigeon.engine.geocell.build.TrainingPoint;

/**
 * Semantic geocells vs GeoEstimation's adaptive S2 cells on real photo locations.
 *
 * <p>Reads the 100k MP-16 photo locations, holds out every 10th point, builds geocells from the rest
 * (MIN 30, MAX 60, sample-data countries + admin-1), and prints build figures (cells, points per
 * cell, time, peak heap) and the oracle error of both partitions on the hold-out. Run with
 * tools/bench_geocells.sh.
 *
 * <p>Arguments: [repo root (default .)] [output geojson (optional)].
 */
public final class GeocellBenchmark {

    private GeocellBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path pointsFile = root.resolve("../shared/data/points/geoclip_coordinates_100k.csv").normalize();
        Path s2File = root.resolve("../shared/data/anchors/geoestimation_s2cells_50_5000.csv").normalize();
        Path boundaries = root.resolve("sample-data/boundaries");
        if (!Files.isRegularFile(pointsFile) || !Files.isRegularFile(s2File)) {
            System.err.println("shared data not found (" + pointsFile + ", " + s2File + "): nothing to benchmark");
            System.exit(2);
        }
        PointSet all = PointCsvReader.read(pointsFile);
        List<TrainingPoint> train = new ArrayList<>();
        List<LatLon> holdout = new ArrayList<>();
        for (int i = 0; i < all.points().size(); i++) {
            TrainingPoint p = all.points().get(i);
            if (i % 10 == 9) {
                holdout.add(new LatLon(p.lat(), p.lon()));
            } else {
                train.add(p);
            }
        }
        List<BoundaryLayer> layers = List.of(
                BoundaryReader.read(boundaries.resolve("countries.geojson"), true),
                BoundaryReader.read(boundaries.resolve("admin1.geojson"), false));

        long t0 = System.nanoTime();
        BuildResult result = new GeocellBuilder(new BuildOptions(30, 60, BuildOptions.PIGEON_SEED, true, System.err::println))
                .build(new PointSet(pointsFile.toString(), train, 0, List.of()), layers);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        GeocellSet cells = result.cells();
        if (args.length > 1) {
            GeocellGeoJson.write(cells, Path.of(args[1]));
        }
        int[] counts = cells.cells().stream().mapToInt(Geocell::pointCount).sorted().toArray();
        System.out.printf(Locale.ROOT, "train points %d, hold-out %d%n", train.size(), holdout.size());
        System.out.printf(Locale.ROOT, "geocells: %d cells in %d countries; points per cell min %d / median %d / max %d;"
                        + " %d left above MAX; %d points outside boundaries%n",
                cells.size(), result.report().countries(), counts[0], counts[counts.length / 2], counts[counts.length - 1],
                result.report().cellsAboveMax().size(), result.report().pointsOutside());
        System.out.printf(Locale.ROOT, "build time %.1f s, peak heap %.0f MB (max heap %.0f MB)%n", buildSeconds,
                peakHeapMb(), Runtime.getRuntime().maxMemory() / 1048576.0);

        ErrorMetrics.Result ours = GeocellOracle.evaluate(cells, holdout);
        S2Partition s2 = S2Partition.read(s2File);
        ErrorMetrics.Result theirs = ErrorMetrics.fromDistances(s2.errorsKm(holdout));
        System.out.println("oracle error on the hold-out (km; acc = share strictly below the radius):");
        System.out.println(row("semantic geocells (" + cells.size() + ")", ours));
        System.out.println(row("S2 GeoEstimation (" + s2.size() + ")", theirs));
    }

    private static String row(String name, ErrorMetrics.Result r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-30s median %7.2f  mean %7.2f ", name,
                r.medianKm(), r.meanKm()));
        for (ErrorMetrics.Accuracy a : r.accuracies()) {
            sb.append(String.format(Locale.ROOT, " acc@%.0f %5.1f%%", a.thresholdKm(), 100 * a.fraction()));
        }
        return sb.toString();
    }

    private static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    /** GeoEstimation's adaptive S2 cells: a point belongs to the set's cell that is an ancestor of its leaf cell. */
    static final class S2Partition {
        private final Map<Long, LatLon> centroids;
        private final int minLevel;
        private final int maxLevel;

        private S2Partition(Map<Long, LatLon> centroids, int minLevel, int maxLevel) {
            this.centroids = centroids;
            this.minLevel = minLevel;
            this.maxLevel = maxLevel;
        }

        static S2Partition read(Path csv) throws IOException {
            Map<Long, LatLon> centroids = new HashMap<>();
            int min = 30;
            int max = 0;
            try (BufferedReader in = Files.newBufferedReader(csv)) {
                String line;
                boolean header = false;
                while ((line = in.readLine()) != null) {
                    if (!header) {
                        header = line.startsWith("class_label");
                        continue;
                    }
                    String[] f = line.split(",");
                    S2CellId id = S2CellId.fromToken(f[1]);
                    if (!id.isValid()) {
                        throw new IOException(csv + ": invalid S2 token '" + f[1] + "'");
                    }
                    centroids.put(id.id(), new LatLon(Double.parseDouble(f[3]), Double.parseDouble(f[4])));
                    min = Math.min(min, id.level());
                    max = Math.max(max, id.level());
                }
            }
            if (centroids.isEmpty()) {
                throw new IOException(csv + ": no S2 cells (expected a class_label,hex_id,... header)");
            }
            return new S2Partition(centroids, min, max);
        }

        int size() {
            return centroids.size();
        }

        double[] errorsKm(List<LatLon> truth) {
            LatLon[] all = centroids.values().toArray(new LatLon[0]);
            double[] km = new double[truth.size()];
            for (int i = 0; i < km.length; i++) {
                LatLon p = truth.get(i);
                S2CellId leaf = S2CellId.fromLatLng(S2LatLng.fromDegrees(p.lat(), p.lon()));
                LatLon c = null;
                for (int level = maxLevel; level >= minLevel && c == null; level--) {
                    c = centroids.get(leaf.parent(level).id());
                }
                if (c == null) {
                    // The adaptive partition leaves sparse regions out: nearest centroid, as GeocellIndex does.
                    c = Arrays.stream(all).min((a, b) -> Double.compare(Haversine.km(p, a), Haversine.km(p, b))).orElseThrow();
                }
                km[i] = Haversine.km(p, c);
            }
            return km;
        }
    }
}
