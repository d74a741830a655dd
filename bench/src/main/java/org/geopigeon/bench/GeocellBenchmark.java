package org.geopigeon.bench;

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
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.build.BoundaryLayer;
import org.geopigeon.engine.geocell.build.BoundaryReader;
import org.geopigeon.engine.geocell.build.BuildOptions;
import org.geopigeon.engine.geocell.build.BuildResult;
import org.geopigeon.engine.geocell.build.GeocellBuilder;
import org.geopigeon.engine.geocell.build.PointSet;
import org.geopigeon.engine.progress.PhaseListener;
import org.geopigeon.engine.geocell.build.TrainingPoint;

/**
 * Semantic geocells vs GeoEstimation's adaptive S2 cells on real photo locations.
 *
 * <p>Reads the 100k MP-16 photo locations, holds out every 10th point, builds geocells from the rest
 * (MIN 30, MAX 60, sample-data countries + admin-1), and prints build figures (cells, points per
 * cell, time, peak heap) and the oracle error of both partitions on the hold-out. Run with
 * tools/bench_geocells.sh.
 *
 * <p>Arguments: [repo root (default .)] [output geojson (optional)] [options]. Options:
 * <ul>
 *   <li>{@code --split-seed N}: hold out a seeded random 10% instead of every 10th point (a second,
 *       independent split, so a change is not tuned to one hold-out);</li>
 *   <li>{@code --fuse largest|closest}: which neighbour a small cell merges into (default closest;
 *       largest is PIGEON's rule);</li>
 *   <li>{@code --fuse-radius KM}: refuse fuses that leave a point farther than KM from its cell's
 *       mean (default 500; Infinity: no limit, as PIGEON);</li>
 *   <li>{@code --errors FILE}: write one CSV row per hold-out point (its cell, both oracle errors)
 *       for analysing where the error comes from.</li>
 * </ul>
 */
public final class GeocellBenchmark {

    private GeocellBenchmark() {
    }

    /**
     * Builds semantic geocells on a hold-out split and prints their oracle error beside adaptive S2's; arguments as
     * the class comment and {@code tools/bench_geocells.sh} describe.
     */
    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        Long splitSeed = null;
        Path errorsFile = null;
        BuildOptions.FuseTarget fuse = BuildOptions.FuseTarget.CLOSEST;
        double fuseRadiusKm = BuildOptions.DEFAULT_MAX_FUSE_RADIUS_KM;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--split-seed" -> splitSeed = Long.parseLong(value(args, ++a));
                case "--errors" -> errorsFile = Path.of(value(args, ++a));
                case "--fuse-radius" -> fuseRadiusKm = Double.parseDouble(value(args, ++a));
                case "--fuse" -> fuse = BuildOptions.FuseTarget.valueOf(value(args, ++a).toUpperCase(Locale.ROOT));
                default -> positional.add(args[a]);
            }
        }
        Path root = Path.of(positional.isEmpty() ? "." : positional.get(0));
        Path pointsFile = root.resolve("../shared/data/points/geoclip_coordinates_100k.csv").normalize();
        Path s2File = root.resolve("../shared/data/anchors/geoestimation_s2cells_50_5000.csv").normalize();
        Path boundaries = root.resolve("sample-data/boundaries");
        if (!Files.isRegularFile(pointsFile) || !Files.isRegularFile(s2File)) {
            System.err.println("shared data not found (" + pointsFile + ", " + s2File + "): nothing to benchmark");
            System.exit(2);
        }
        PointSet all = PointSet.readCsv(pointsFile);
        List<TrainingPoint> train = new ArrayList<>();
        List<LatLon> holdout = new ArrayList<>();
        boolean[] heldOut = holdoutMask(all.points().size(), splitSeed);
        for (int i = 0; i < all.points().size(); i++) {
            TrainingPoint p = all.points().get(i);
            if (heldOut[i]) {
                holdout.add(new LatLon(p.lat(), p.lon()));
            } else {
                train.add(p);
            }
        }
        List<BoundaryLayer> layers = List.of(
                BoundaryReader.read(boundaries.resolve("countries.geojson"), true),
                BoundaryReader.read(boundaries.resolve("admin1.geojson"), false));

        long t0 = System.nanoTime();
        BuildResult result = new GeocellBuilder(new BuildOptions(30, 60, BuildOptions.PIGEON_SEED, true, fuse, fuseRadiusKm))
                .build(new PointSet(pointsFile.toString(), train, 0, List.of()), layers, PhaseListener.lines(System.err::println));
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        GeocellSet cells = result.cells();
        if (positional.size() > 1) {
            GeocellGeoJson.write(cells, Path.of(positional.get(1)));
        }
        int[] counts = cells.cells().stream().mapToInt(Geocell::pointCount).sorted().toArray();
        System.out.printf(Locale.ROOT, "train points %d, hold-out %d (%s)%n", train.size(), holdout.size(),
                splitSeed == null ? "every 10th point" : "random 10%, seed " + splitSeed);
        System.out.printf(Locale.ROOT, "geocells: %d cells in %d countries; points per cell min %d / median %d / max %d;"
                        + " %d left above MAX; %d points outside boundaries%n",
                cells.size(), result.report().units().countries(), counts[0], counts[counts.length / 2], counts[counts.length - 1],
                result.report().steps().cellsAboveMax().size(), result.report().input().pointsOutside());
        System.out.printf(Locale.ROOT, "build time %.1f s, peak heap %.0f MB (max heap %.0f MB)%n", buildSeconds,
                peakHeapMb(), Runtime.getRuntime().maxMemory() / 1048576.0);

        double[] ourKm = GeocellOracle.errorsKm(cells, holdout);
        ErrorMetrics.Result ours = ErrorMetrics.fromDistances(ourKm);
        S2Partition s2 = S2Partition.read(s2File);
        double[] theirKm = s2.errorsKm(holdout);
        ErrorMetrics.Result theirs = ErrorMetrics.fromDistances(theirKm);
        if (errorsFile != null) {
            writeErrors(errorsFile, cells, holdout, ourKm, theirKm);
        }
        System.out.println("oracle error on the hold-out (km; acc = share strictly below the radius):");
        System.out.println(row("semantic geocells (" + cells.size() + ")", ours));
        System.out.println(row("S2 GeoEstimation (" + s2.size() + ")", theirs));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Every 10th point, or with a seed a random 10% (exactly a tenth, rounded down). */
    static boolean[] holdoutMask(int n, Long seed) {
        boolean[] mask = new boolean[n];
        if (seed == null) {
            for (int i = 9; i < n; i += 10) {
                mask[i] = true;
            }
            return mask;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        for (int k = 0; k < n / 10; k++) {
            mask[order.get(k)] = true;
        }
        return mask;
    }

    private static void writeErrors(Path file, GeocellSet cells, List<LatLon> holdout, double[] ourKm, double[] theirKm)
            throws IOException {
        GeocellIndex index = new GeocellIndex(cells);
        try (java.io.PrintWriter out = new java.io.PrintWriter(Files.newBufferedWriter(file))) {
            out.println("lat,lon,cell_id,country,cell_points,covered,err_km,s2_err_km");
            for (int i = 0; i < holdout.size(); i++) {
                LatLon p = holdout.get(i);
                int covering = index.covering(p);
                Geocell c = cells.get(covering >= 0 ? covering : index.nearestCentroid(p));
                out.printf(Locale.ROOT, "%.6f,%.6f,%s,%s,%d,%b,%.3f,%.3f%n", p.lat(), p.lon(), c.id().replace(',', ';'),
                        c.country(), c.pointCount(), covering >= 0, ourKm[i], theirKm[i]);
            }
        }
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
