package org.geopigeon.engine.refine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.StreamedTensor;
import org.geopigeon.engine.io.Safetensors.Tensor;

/**
 * Writes a {@code geopigeon-refinement/1} file row by row, so galleries far larger than the heap (PIGEOTTO's
 * 4.5M x 1024 embeddings are 18 GB as float32) can be written: rows are asked for one at a time, converted
 * to float16 and streamed through a 1 MB buffer. The file is written atomically (temporary file + rename).
 */
public final class RefinementIndexWriter {

    /** Supplies row {@code row} (D floats) of prototypes or member embeddings, in increasing row order. */
    @FunctionalInterface
    public interface Rows {
        /**
         * Writes embedding row {@code row} (0-based, rows asked for in increasing order) into {@code out}, of length
         * D.
         */
        void fill(int row, float[] out);
    }

    /** Supplies the (lat, lon) of member {@code member}, in increasing order. */
    @FunctionalInterface
    public interface Locations {
        /** Position of member {@code member}, in degrees. */
        LatLon location(int member);
    }

    private RefinementIndexWriter() {
    }

    /**
     * @param cellClusterOffsets   [C+1], as in the file (clusters of cell c are offsets[c] .. offsets[c+1]-1)
     * @param clusterMemberOffsets [M+1], as in the file
     * @param prototypes           M rows
     * @param members              N = clusterMemberOffsets[M] rows
     * @param locations            N coordinates
     */
    public static void write(Path file, int dim, int[] cellClusterOffsets, int[] clusterMemberOffsets, Rows prototypes,
                             Rows members, Locations locations) throws IOException {
        if (dim < 1 || cellClusterOffsets.length < 2 || clusterMemberOffsets.length < 1) {
            throw new IllegalArgumentException("need D >= 1, at least one cell and cluster offsets");
        }
        int m = clusterMemberOffsets.length - 1;
        int n = clusterMemberOffsets[m];
        Map<String, StreamedTensor> t = new LinkedHashMap<>();
        t.put("cell_cluster_offsets", StreamedTensor.of(Tensor.i32(cellClusterOffsets, cellClusterOffsets.length)));
        t.put("prototypes", new StreamedTensor(DType.F16, new long[] {m, dim}, out -> rows(out, m, dim, prototypes)));
        t.put("cluster_member_offsets", StreamedTensor.of(Tensor.i32(clusterMemberOffsets, clusterMemberOffsets.length)));
        t.put("member_embeddings", new StreamedTensor(DType.F16, new long[] {n, dim}, out -> rows(out, n, dim, members)));
        t.put("member_latlon", new StreamedTensor(DType.F32, new long[] {n, 2}, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                if (b.remaining() < 8) {
                    drain(out, b);
                }
                LatLon p = locations.location(i);
                b.putFloat((float) p.lat()).putFloat((float) p.lon());
            }
            drain(out, b);
        }));
        Safetensors.writeStreamed(file, t, Map.of("format", RefinementIndex.FORMAT));
    }

    private static void rows(WritableByteChannel out, int count, int dim, Rows source) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.max(1 << 20, 2 * dim)).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[dim];
        for (int r = 0; r < count; r++) {
            source.fill(r, row);
            if (b.remaining() < 2 * dim) {
                drain(out, b);
            }
            for (float v : row) {
                b.putShort(Half.fromFloat(v));
            }
        }
        drain(out, b);
    }

    private static void drain(WritableByteChannel out, ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) {
            out.write(b);
        }
        b.clear();
    }
}
