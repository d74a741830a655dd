package org.geopigeon.engine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.refine.RefinementIndex;
import org.geopigeon.engine.refine.RetrievalRefiner;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;

/**
 * Size, load time and query time of a refinement index at PIGEOTTO-like scale (random contents):
 * {@code java ... RefinementIndexBenchmark [members=100000] [dim=1024] [cells=2000] [clustersPerCell=5] [refineTopK=40]}.
 * Prints figures; asserts nothing.
 */
public final class RefinementIndexBenchmark {

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int cells = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int clustersPerCell = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int refineTopK = args.length > 4 ? Integer.parseInt(args[4]) : 40;
        SplittableRandom rnd = new SplittableRandom(7);

        int clusters = cells * clustersPerCell;
        int[] cellOffsets = new int[cells + 1];
        for (int c = 0; c <= cells; c++) {
            cellOffsets[c] = c * clustersPerCell;
        }
        int[] memberOffsets = new int[clusters + 1];
        for (int m = 0; m <= clusters; m++) {
            memberOffsets[m] = (int) ((long) m * members / clusters);
        }
        float[] protos = gaussian(rnd, clusters * dim);
        float[] emb = gaussian(rnd, members * dim);
        float[] latlon = new float[members * 2];
        List<Geocell> geocells = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            double lat = rnd.nextDouble(-60, 70);
            double lon = rnd.nextDouble(-179, 179);
            Polygon p = (Polygon) GeoJsonGeometry.WGS84.toGeometry(new Envelope(lon - 0.5, lon + 0.5, lat - 0.5, lat + 0.5));
            geocells.add(new Geocell(c, "c" + c, "", "", "", 0, new LatLon(lat, lon),
                    GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {p})));
            for (int m = memberOffsets[cellOffsets[c]]; m < memberOffsets[cellOffsets[c + 1]]; m++) {
                latlon[2 * m] = (float) (lat + rnd.nextDouble(-0.4, 0.4));
                latlon[2 * m + 1] = (float) (lon + rnd.nextDouble(-0.4, 0.4));
            }
        }
        Path dir = Files.createTempDirectory("geopigeon-refine-bench");
        Path file = dir.resolve("refinement.safetensors");
        try {
            long t0 = System.nanoTime();
            RefinementIndex.of(dim, cellOffsets, protos, memberOffsets, emb, latlon).write(file);
            long t1 = System.nanoTime();
            protos = null;
            emb = null;
            System.gc();
            RefinementIndex index = RefinementIndex.read(file);
            long t2 = System.nanoTime();
            RetrievalRefiner refiner = new RetrievalRefiner(index, new GeocellSet("bench", geocells), 0.6, 1000);
            int queries = 50;
            int[] cand = new int[refineTopK];
            double[] probs = new double[refineTopK];
            long q0 = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                float[] query = gaussian(rnd, dim);
                for (int k = 0; k < refineTopK; k++) {
                    cand[k] = rnd.nextInt(cells);
                    probs[k] = 1.0 / refineTopK;
                }
                refiner.refine(query, cand, probs);
            }
            long q1 = System.nanoTime();
            System.out.printf("refinement index: %,d members x %d dims, %,d clusters in %,d cells%n", members, dim, clusters, cells);
            System.out.printf("file size        %,.1f MB (float16 embeddings)%n", Files.size(file) / 1e6);
            System.out.printf("write            %.2f s%n", (t1 - t0) / 1e9);
            System.out.printf("load (mmap)      %.3f s%n", (t2 - t1) / 1e9);
            System.out.printf("heap after load  %,.1f MB%n", usedHeapMb());
            System.out.printf("refine query     %.2f ms (top-%d cells, mean of %d)%n", (q1 - q0) / 1e6 / queries, refineTopK, queries);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static float[] gaussian(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Sum of uniforms: cheap, roughly normal; the contents do not matter for timing.
            v[i] = (float) (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5);
        }
        return v;
    }

    private static double usedHeapMb() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1e6;
    }
}
