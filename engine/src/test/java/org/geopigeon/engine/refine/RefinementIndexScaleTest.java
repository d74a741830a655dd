package org.geopigeon.engine.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index at PIGEOTTO's scale (issue 9): embeddings are mapped in segments of whole rows, so files over
 * 2 GiB load (the old reader failed above about 1.03M members x 1024 with "Size exceeds Integer.MAX_VALUE"),
 * and segmenting changes no result.
 */
class RefinementIndexScaleTest {

    @TempDir
    Path tmp;

    @Test
    void segmentedMappingGivesTheSameAnswersAsOneBuffer() throws IOException {
        int dim = 24;
        int cells = 5;
        int clustersPerCell = 3;
        int members = 97;
        SplittableRandom r = new SplittableRandom(3);
        int clusters = cells * clustersPerCell;
        int[] cellOffsets = new int[cells + 1];
        for (int c = 0; c <= cells; c++) {
            cellOffsets[c] = c * clustersPerCell;
        }
        int[] memberOffsets = new int[clusters + 1];
        for (int m = 0; m <= clusters; m++) {
            memberOffsets[m] = m * members / clusters;
        }
        float[] protos = gaussian(r, clusters * dim);
        float[] emb = gaussian(r, members * dim);
        float[] latlon = new float[2 * members];
        for (int i = 0; i < members; i++) {
            latlon[2 * i] = (float) r.nextDouble(-80, 80);
            latlon[2 * i + 1] = (float) r.nextDouble(-180, 180);
        }
        RefinementIndex inMemory = RefinementIndex.of(dim, cellOffsets, protos, memberOffsets, emb, latlon);
        Path file = tmp.resolve("refinement.safetensors");
        inMemory.write(file);
        // 5 rows per segment: 20 segments, rows of one cluster spread over several of them
        RefinementIndex segmented = RefinementIndex.read(file, 5L * dim * 2);
        assertEquals(20, segmented.memberSegments());
        assertEquals(1, RefinementIndex.read(file).memberSegments());
        assertEquals(members, segmented.members());
        for (int m = 0; m < members; m++) {
            assertArrayEquals(inMemory.memberEmbedding(m), segmented.memberEmbedding(m), "member " + m);
            assertEquals(inMemory.memberLocation(m), segmented.memberLocation(m));
        }
        for (int q = 0; q < 20; q++) {
            float[] query = gaussian(r, dim);
            for (int c = 0; c < cells; c++) {
                assertEquals(inMemory.nearestCluster(c, query), segmented.nearestCluster(c, query), "cell " + c);
            }
            for (int k = 0; k < clusters; k++) {
                RefinementIndex.Nearest a = inMemory.nearestMember(k, query);
                assertEquals(a, segmented.nearestMember(k, query), "cluster " + k);
                assertEquals(bruteForceNearest(inMemory, k, query), a.row(), "cluster " + k + " against a plain search");
            }
        }
    }

    @Test
    void aGalleryOverTwoGibibytesLoadsWithAFlatHeap() throws IOException {
        // 1.1M members x 1024 dims = 2.25 GB of float16: above the old single-buffer limit. The file is sparse
        // (all-zero embeddings and coordinates take no disk) except the offsets and prototypes.
        int dim = 1024;
        int members = 1_100_000;
        int clusters = 4;
        Path file = tmp.resolve("big.safetensors");
        writeSparseIndex(file, dim, members, clusters);

        IOException tooBig = assertThrows(IOException.class, () -> Safetensors.read(file));
        assertTrue(tooBig.getMessage().contains("'member_embeddings' holds 2252800000 bytes, more than one buffer can map"),
                tooBig.getMessage());

        long heapBefore = usedHeap();
        RefinementIndex index = RefinementIndex.read(file);
        long heapGrowth = usedHeap() - heapBefore;
        assertEquals(members, index.members());
        assertEquals(clusters, index.clusters());
        assertEquals(3, index.memberSegments(), "1 GiB segments of whole rows");
        assertTrue(heapGrowth < 50_000_000, "the index keeps embeddings and coordinates off the heap, grew by " + heapGrowth);
        float[] query = new float[dim];
        query[0] = 1;
        // the last cluster's members lie in the third segment; all embeddings are zero, so the first wins
        RefinementIndex.Nearest last = index.nearestMember(clusters - 1, query);
        assertEquals(index.firstMember(clusters - 1), last.row());
        assertEquals(1.0, last.distanceSq(), 0);
        assertEquals(new LatLon(0, 0), index.memberLocation(members - 1));
        assertEquals(0, index.nearestCluster(0, query).row());
        assertEquals((1 - 0.5) * (1 - 0.5) + (dim - 1) * 0.25, index.prototypeDistanceSq(0, query), 1e-6,
                "prototype 0 is all 0.5");
    }

    /** Writes the safetensors header and the small tensors; the large ones stay holes of zeros. */
    private static void writeSparseIndex(Path file, int dim, int members, int clusters) throws IOException {
        int[] cellOffsets = {0, clusters};
        int[] memberOffsets = new int[clusters + 1];
        for (int m = 0; m <= clusters; m++) {
            memberOffsets[m] = (int) ((long) m * members / clusters);
        }
        long protoBytes = 2L * clusters * dim;
        long memberBytes = 2L * members * dim;
        long latlonBytes = 8L * members;
        ObjectMapper json = new ObjectMapper();
        ObjectNode h = json.createObjectNode();
        h.putObject("__metadata__").put("format", RefinementIndex.FORMAT);
        long off = 0;
        off = spec(h, "cell_cluster_offsets", "I32", new long[] {2}, off, 8);
        off = spec(h, "cluster_member_offsets", "I32", new long[] {clusters + 1}, off, 4L * (clusters + 1));
        off = spec(h, "prototypes", "F16", new long[] {clusters, dim}, off, protoBytes);
        off = spec(h, "member_embeddings", "F16", new long[] {members, dim}, off, memberBytes);
        off = spec(h, "member_latlon", "F32", new long[] {members, 2}, off, latlonBytes);
        byte[] header = json.writeValueAsString(h).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - header.length % 8) % 8;
        ByteBuffer start = ByteBuffer.allocate(8 + header.length + pad + 8 + 4 * (clusters + 1) + (int) protoBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        start.putLong(header.length + pad).put(header);
        for (int i = 0; i < pad; i++) {
            start.put((byte) ' ');
        }
        for (int v : cellOffsets) {
            start.putInt(v);
        }
        for (int v : memberOffsets) {
            start.putInt(v);
        }
        short half = Half.fromFloat(0.5f);
        for (int i = 0; i < clusters * dim; i++) {
            start.putShort(half);
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(start.array());
            f.setLength(8 + header.length + pad + off);
        }
    }

    private static long spec(ObjectNode h, String name, String dtype, long[] shape, long offset, long bytes) {
        ObjectNode s = h.putObject(name);
        s.put("dtype", dtype);
        var a = s.putArray("shape");
        for (long d : shape) {
            a.add(d);
        }
        s.putArray("data_offsets").add(offset).add(offset + bytes);
        return offset + bytes;
    }

    private static int bruteForceNearest(RefinementIndex index, int cluster, float[] query) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int m = index.firstMember(cluster); m < index.endMember(cluster); m++) {
            float[] e = index.memberEmbedding(m);
            double d = 0;
            for (int i = 0; i < e.length; i++) {
                d += (double) (e[i] - query[i]) * (e[i] - query[i]);
            }
            if (d < bestD) {
                bestD = d;
                best = m;
            }
        }
        return best;
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5);
        }
        return v;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
