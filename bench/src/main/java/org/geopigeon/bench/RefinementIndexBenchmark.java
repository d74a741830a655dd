package org.geopigeon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.refine.RefinementIndexWriter;
import org.geopigeon.engine.refine.RetrievalRefiner;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;

/**
 * Size, load time, heap and per-query latency of a refinement index at PIGEOTTO scale (random contents;
 * timing does not depend on them). The file is generated row by row (never in memory), so 4.5M x 1024
 * members (9.2 GB) run in a small heap:
 *
 * <pre>
 * tools/run-bench-main.sh -Xmx512m org.geopigeon.bench.RefinementIndexBenchmark
 *     [--members 100000] [--dim 1024] [--cells 2000] [--clusters-per-cell 5] [--refine-top-k 40]
 *     [--queries 2000] [--warmup 500] [--dir DIR] [--keep]
 * </pre>
 * Prints figures; asserts nothing. The file goes to a temporary folder under {@code --dir} (default the
 * system temp dir) and is deleted afterwards unless {@code --keep}. Check the free disk space first
 * ({@code df -h}): the file needs members x dim x 2 bytes.
 */
public final class RefinementIndexBenchmark {

    record Options(long members, int dim, int cells, int clustersPerCell, int refineTopK, int queries, int warmup,
                   Path dir, boolean keep) {

        static Options parse(String[] args) {
            long members = 100_000;
            int dim = 1024;
            int cells = 2000;
            int cpc = 5;
            int topK = 40;
            int queries = 2000;
            int warmup = 500;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--members" -> members = Long.parseLong(value(args, ++i, a).replace("_", ""));
                    case "--dim" -> dim = Integer.parseInt(value(args, ++i, a));
                    case "--cells" -> cells = Integer.parseInt(value(args, ++i, a));
                    case "--clusters-per-cell" -> cpc = Integer.parseInt(value(args, ++i, a));
                    case "--refine-top-k" -> topK = Integer.parseInt(value(args, ++i, a));
                    case "--queries" -> queries = Integer.parseInt(value(args, ++i, a));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--dir" -> dir = Path.of(value(args, ++i, a));
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (members < 1 || members > Integer.MAX_VALUE || dim < 1 || cells < 1 || cpc < 1 || topK < 1 || topK > cells
                    || queries < 1 || warmup < 0) {
                throw new IllegalArgumentException("need 1 <= members <= 2^31-1, dim, cells, clusters per cell >= 1, "
                        + "1 <= refine top-k <= cells, queries >= 1");
            }
            return new Options(members, dim, cells, cpc, topK, queries, warmup, dir, keep);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private RefinementIndexBenchmark() {
    }

    /**
     * Writes a random index of {@code --members N} rows to {@code --dir}, then prints file size, load time, heap and
     * per-query latency percentiles; deletes the file afterwards. Exit code 2 with a message on a bad option.
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RefinementIndexBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        int members = (int) o.members();
        int dim = o.dim();
        int clusters = o.cells() * o.clustersPerCell();
        int[] cellOffsets = new int[o.cells() + 1];
        for (int c = 0; c <= o.cells(); c++) {
            cellOffsets[c] = c * o.clustersPerCell();
        }
        int[] memberOffsets = new int[clusters + 1];
        for (int m = 0; m <= clusters; m++) {
            memberOffsets[m] = (int) ((long) m * members / clusters);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        double[] cellLat = new double[o.cells()];
        double[] cellLon = new double[o.cells()];
        List<Geocell> geocells = new ArrayList<>();
        for (int c = 0; c < o.cells(); c++) {
            cellLat[c] = rnd.nextDouble(-60, 70);
            cellLon[c] = rnd.nextDouble(-179, 179);
            Polygon p = (Polygon) GeoJsonGeometry.WGS84.toGeometry(
                    new Envelope(cellLon[c] - 0.5, cellLon[c] + 0.5, cellLat[c] - 0.5, cellLat[c] + 0.5));
            geocells.add(new Geocell(c, "c" + c, "", "", "", 0, new LatLon(cellLat[c], cellLon[c]),
                    GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {p})));
        }
        int[] cellOfCluster = new int[clusters];
        for (int c = 0; c < o.cells(); c++) {
            Arrays.fill(cellOfCluster, cellOffsets[c], cellOffsets[c + 1], c);
        }

        Files.createDirectories(o.dir());
        Path dir = Files.createTempDirectory(o.dir(), "geopigeon-refine-bench");
        Path file = dir.resolve("refinement.safetensors");
        System.out.printf(Locale.ROOT, "refinement index: %,d members x %d dims, %,d clusters in %,d cells (%,d members"
                        + " per cluster), top-%d candidate cells, load average %s%n", members, dim, clusters, o.cells(),
                members / clusters, o.refineTopK(), loadAverage());
        try {
            long t0 = System.nanoTime();
            // Rows are generated from a per-row seed: the same file every run, nothing held in memory.
            RefinementIndexWriter.write(file, dim, cellOffsets, memberOffsets,
                    (row, out) -> noise(0x9E3779B97F4A7C15L * (row + 1), out),
                    (row, out) -> noise(0xC2B2AE3D27D4EB4FL * (row + 1), out),
                    member -> {
                        int cluster = clusterOf(memberOffsets, member);
                        int c = cellOfCluster[cluster];
                        long h = mix(member * 0x165667B19E3779F9L);
                        return new LatLon(cellLat[c] + ((h & 0xFFFF) / 65535.0 - 0.5) * 0.8,
                                cellLon[c] + (((h >>> 16) & 0xFFFF) / 65535.0 - 0.5) * 0.8);
                    });
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "file             %,.1f MB (float16 embeddings), written in %.1f s%n",
                    Files.size(file) / 1e6, (t1 - t0) / 1e9);
            double heapBefore = usedHeapMb();
            long l0 = System.nanoTime();
            RefinementIndex index = RefinementIndex.read(file);
            long l1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "load (mmap)      %.3f s, %d segment(s); heap %.1f MB before, %.1f MB after load"
                            + " (max heap %.0f MB); process RSS %s%n", (l1 - l0) / 1e9, index.memberSegments(),
                    heapBefore, usedHeapMb(), Runtime.getRuntime().maxMemory() / 1e6, rss());
            RetrievalRefiner refiner = new RetrievalRefiner(index, new GeocellSet("bench", geocells), 0.6, 1000);

            double[] first = queries(refiner, o, new SplittableRandom(11), o.warmup() + o.queries());
            System.out.println("first pass       " + percentiles(first) + " (" + first.length
                    + " queries; pages as the write left them in the page cache)");
            double[] warm = queries(refiner, o, new SplittableRandom(11), o.warmup() + o.queries());
            double[] measured = Arrays.copyOfRange(warm, o.warmup(), warm.length);
            System.out.println("warm             " + percentiles(measured) + " (" + measured.length
                    + " queries, same queries again after " + o.warmup() + " warm-up; goal p99 < 5 ms)");
            System.out.printf(Locale.ROOT, "process RSS after queries %s, load average %s%n", rss(), loadAverage());
        } finally {
            if (o.keep()) {
                System.out.println("kept " + file);
            } else {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Per-query wall time in ms: a random query embedding against refineTopK distinct random cells. */
    private static double[] queries(RetrievalRefiner refiner, Options o, SplittableRandom rnd, int count) {
        double[] ms = new double[count];
        int k = o.refineTopK();
        int[] cand = new int[k];
        double[] probs = new double[k];
        float[] query = new float[o.dim()];
        for (int q = 0; q < count; q++) {
            noise(rnd.nextLong(), query);
            distinctCells(rnd, o.cells(), cand);
            double sum = 0;
            for (int i = 0; i < k; i++) {
                probs[i] = rnd.nextDouble();
                sum += probs[i];
            }
            for (int i = 0; i < k; i++) {
                probs[i] /= sum;
            }
            long t0 = System.nanoTime();
            refiner.refine(query, cand, probs);
            ms[q] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static void distinctCells(SplittableRandom rnd, int cells, int[] out) {
        for (int i = 0; i < out.length; i++) {
            int c;
            boolean dup;
            do {
                c = rnd.nextInt(cells);
                dup = false;
                for (int j = 0; j < i; j++) {
                    dup |= out[j] == c;
                }
            } while (dup);
            out[i] = c;
        }
    }

    static String percentiles(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format(Locale.ROOT, "per query: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms",
                pct(s, 50), pct(s, 95), pct(s, 99), s[s.length - 1], mean);
    }

    static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static int clusterOf(int[] memberOffsets, int member) {
        int i = Arrays.binarySearch(memberOffsets, member);
        if (i >= 0) {
            while (i + 1 < memberOffsets.length && memberOffsets[i + 1] == member) {
                i++; // skip empty clusters
            }
            return i;
        }
        return -i - 2;
    }

    /** Roughly normal values (sum of three uniforms, centred) from a seed: cheap and reproducible. */
    private static void noise(long seed, float[] out) {
        long s = seed;
        for (int i = 0; i < out.length; i++) {
            s = mix(s + 0x9E3779B97F4A7C15L);
            float a = (s & 0x1FFFFF) / (float) 0x1FFFFF;
            float b = ((s >>> 21) & 0x1FFFFF) / (float) 0x1FFFFF;
            float c = ((s >>> 42) & 0x1FFFFF) / (float) 0x1FFFFF;
            out[i] = a + b + c - 1.5f;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double usedHeapMb() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1e6;
    }

    private static String rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return String.format(Locale.ROOT, "%.0f MB", Long.parseLong(line.replaceAll("\\D", "")) / 1e3);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
