package org.geopigeon.engine.train;

import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.geopigeon.engine.cluster.DistanceMatrix;
import org.geopigeon.engine.cluster.Optics;
import org.geopigeon.engine.cluster.OpticsResult;
import org.geopigeon.engine.cluster.XiClusters;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.refine.RefinementIndex;

/**
 * Builds the retrieval index of hierarchical refinement (PIGEON {@code proto_refiner.py}, offline
 * part) from a gallery and its geocell labels:
 * <ol>
 *   <li>per cell, OPTICS + xi extraction (scikit-learn semantics, predecessor correction on,
 *       min_cluster_size = min_samples) on the great-circle km distances between the cell's photos;</li>
 *   <li>noise points are dropped; a cell with fewer than min_samples photos forms one cluster of all
 *       of them (PIGEON's rule). A cell where OPTICS finds no cluster at all also keeps all its photos
 *       as one cluster, so every cell with photos stays retrievable (PIGEON would leave it empty);</li>
 *   <li>prototype = mean member embedding; members keep their embeddings and coordinates.</li>
 * </ol>
 * Defaults are the PIGEOTTO paper's: min_samples = 10, xi = 0.1.
 *
 * <p>Large cells: the distance matrix is O(n^2) (5,000 photos = 200 MB of doubles, 25M distances).
 * Cells above {@code maxPointsPerCell} are cut into chunks of at most that many photos along their
 * longitude order (contiguous strips, so a dense spot usually stays in one chunk) and each chunk is
 * clustered on its own; no photo is discarded. Clusters straddling a strip border are split in two,
 * which only makes them smaller and does not change which member is nearest to a query.
 *
 * <p>Cells are clustered in parallel (independent work); the output order is deterministic.
 */
public final class RefinementIndexBuilder {

    /**
     * @param minSamples       OPTICS min_samples (PIGEOTTO paper 10, PIGEON 3, PIGEOTTO code 100)
     * @param xi               xi steepness (PIGEOTTO 0.1, PIGEON 0.15)
     * @param maxPointsPerCell chunk size bounding the per-cell O(n^2) work
     */
    public record Config(int minSamples, double xi, int maxPointsPerCell) {
        public Config {
            if (minSamples < 2) {
                throw new IllegalArgumentException("OPTICS min_samples must be >= 2, got " + minSamples);
            }
            if (!(xi > 0 && xi < 1)) {
                throw new IllegalArgumentException("xi must be in (0, 1), got " + xi);
            }
            if (maxPointsPerCell < minSamples) {
                throw new IllegalArgumentException("maxPointsPerCell (" + maxPointsPerCell + ") must be >= min_samples ("
                        + minSamples + ")");
            }
        }

        /** PIGEOTTO's paper settings, OPTICS (10, 0.1), chunks of at most 5,000 points per cell. */
        public static Config defaults() {
            return new Config(10, 0.1, 5000);
        }
    }

    private final Config config;
    private final Consumer<String> progress;

    public RefinementIndexBuilder(Config config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /**
     * @param gallery embeddings and coordinates
     * @param labels  geocell of each gallery row
     * @param cells   number of geocells C (cells without photos get no clusters)
     */
    public RefinementIndex build(Gallery gallery, int[] labels, int cells) {
        if (labels.length != gallery.size()) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + gallery.size() + " gallery rows");
        }
        if (cells < 1) {
            throw new IllegalArgumentException("need at least one geocell, got " + cells);
        }
        List<List<Integer>> rowsOfCell = new ArrayList<>(cells);
        for (int c = 0; c < cells; c++) {
            rowsOfCell.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= cells) {
                throw new IllegalArgumentException("label of gallery row " + i + " is " + labels[i] + ", outside 0.." + (cells - 1));
            }
            rowsOfCell.get(labels[i]).add(i);
        }
        long t0 = System.nanoTime();
        // Clusters of each cell as lists of gallery rows, computed independently per cell.
        List<List<int[]>> clustersOfCell = IntStream.range(0, cells).parallel()
                .mapToObj(c -> clusterCell(gallery, rowsOfCell.get(c).stream().mapToInt(Integer::intValue).toArray()))
                .toList();

        int d = gallery.dim();
        int clusterCount = clustersOfCell.stream().mapToInt(List::size).sum();
        int memberCount = clustersOfCell.stream().flatMap(List::stream).mapToInt(a -> a.length).sum();
        int[] cellOffsets = new int[cells + 1];
        int[] memberOffsets = new int[clusterCount + 1];
        float[] prototypes = new float[clusterCount * d];
        float[] members = new float[memberCount * d];
        float[] latlon = new float[memberCount * 2];
        int m = 0;
        int k = 0;
        float[] row = new float[d];
        for (int c = 0; c < cells; c++) {
            for (int[] cluster : clustersOfCell.get(c)) {
                double[] sum = new double[d];
                for (int r : cluster) {
                    gallery.copyEmbedding(r, row, 0);
                    System.arraycopy(row, 0, members, k * d, d);
                    for (int j = 0; j < d; j++) {
                        sum[j] += row[j];
                    }
                    latlon[2 * k] = (float) gallery.lat(r);
                    latlon[2 * k + 1] = (float) gallery.lon(r);
                    k++;
                }
                for (int j = 0; j < d; j++) {
                    prototypes[m * d + j] = (float) (sum[j] / cluster.length);
                }
                m++;
                memberOffsets[m] = k;
            }
            cellOffsets[c + 1] = m;
        }
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "refinement index: %d cells, %d clusters, %d of %d photos kept (%d noise dropped) in %.1f s",
                    cells, clusterCount, memberCount, gallery.size(), gallery.size() - memberCount,
                    (System.nanoTime() - t0) / 1e9));
        }
        return RefinementIndex.of(d, cellOffsets, prototypes, memberOffsets, members, latlon);
    }

    /** Clusters of one cell as arrays of gallery rows (ascending within each cluster). */
    List<int[]> clusterCell(Gallery gallery, int[] rows) {
        if (rows.length == 0) {
            return List.of();
        }
        if (rows.length < config.minSamples()) {
            return List.of(rows);
        }
        List<int[]> out = new ArrayList<>();
        for (int[] chunk : chunks(gallery, rows)) {
            out.addAll(clusterChunk(gallery, chunk));
        }
        if (out.isEmpty()) {
            return List.of(rows); // everything was noise: keep the cell retrievable as one cluster
        }
        return out;
    }

    private List<int[]> clusterChunk(Gallery gallery, int[] rows) {
        if (rows.length < config.minSamples()) {
            return List.of(rows);
        }
        DistanceMatrix dm = DistanceMatrix.compute(rows.length,
                (i, j) -> Haversine.km(gallery.lat(rows[i]), gallery.lon(rows[i]), gallery.lat(rows[j]), gallery.lon(rows[j])));
        OpticsResult r = Optics.run(dm, config.minSamples(), Double.POSITIVE_INFINITY);
        int[] labels = XiClusters.labels(r, config.minSamples(), config.xi(), config.minSamples(), true);
        int max = Arrays.stream(labels).max().orElse(-1);
        List<List<Integer>> groups = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                groups.get(labels[i]).add(rows[i]);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> g : groups) {
            if (!g.isEmpty()) {
                out.add(g.stream().mapToInt(Integer::intValue).sorted().toArray());
            }
        }
        return out;
    }

    private List<int[]> chunks(Gallery gallery, int[] rows) {
        int max = config.maxPointsPerCell();
        if (rows.length <= max) {
            return List.of(rows);
        }
        Integer[] sorted = Arrays.stream(rows).boxed().toArray(Integer[]::new);
        Arrays.sort(sorted, (a, b) -> {
            int c = Double.compare(gallery.lon(a), gallery.lon(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int parts = (rows.length + max - 1) / max;
        List<int[]> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            // Equal-size chunks, so none ends up smaller than min_samples by accident.
            int from = (int) ((long) rows.length * p / parts);
            int to = (int) ((long) rows.length * (p + 1) / parts);
            int[] chunk = new int[to - from];
            for (int i = from; i < to; i++) {
                chunk[i - from] = sorted[i];
            }
            out.add(chunk);
        }
        return out;
    }
}
