package org.geopigeon.engine.refine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.StreamedTensor;
import org.geopigeon.engine.io.Safetensors.Tensor;
import org.geopigeon.engine.io.Safetensors.TensorInfo;

/**
 * Retrieval index for hierarchical refinement: per geocell, clusters of training images with a
 * prototype embedding (mean of members) and members with their embeddings and coordinates.
 *
 * <p>Stored as safetensors ({@code geopigeon-refinement/1}):
 * <ul>
 *   <li>{@code cell_cluster_offsets} I32 [C+1]: clusters of cell c are rows offsets[c] .. offsets[c+1]-1</li>
 *   <li>{@code prototypes} F16 [M, D]</li>
 *   <li>{@code cluster_member_offsets} I32 [M+1]: members of cluster m are rows offsets[m] .. offsets[m+1]-1</li>
 *   <li>{@code member_embeddings} F16 [N, D]</li>
 *   <li>{@code member_latlon} F32 [N, 2] (lat, lon)</li>
 * </ul>
 *
 * <p>Layout for speed at PIGEOTTO's scale (4.5M members x 1024 = 9.2 GB): the clusters of a cell are
 * consecutive, the members of a cluster are consecutive rows, and all prototypes form one dense block,
 * so a query reads a few contiguous ranges (the prototypes of its candidate cells, then one cluster's
 * members). Embeddings and coordinates stay memory-mapped ({@link F16Rows}, in segments of whole rows
 * under 2 GiB: no size limit but the address space), so the heap holds only the two offset arrays
 * (4 bytes per cluster and per cell): load time and heap do not grow with the gallery.
 */
public final class RefinementIndex {

    public static final String FORMAT = "geopigeon-refinement/1";

    private static final List<String> TENSORS = List.of("cell_cluster_offsets", "prototypes", "cluster_member_offsets",
            "member_embeddings", "member_latlon");

    private final int cells;
    private final int dim;
    private final int[] cellClusterOffsets;
    private final int[] clusterMemberOffsets;
    private final F16Rows prototypes;
    private final F16Rows memberEmbeddings;
    private final FloatBuffer memberLatLon;

    private RefinementIndex(int dim, int[] cellClusterOffsets, int[] clusterMemberOffsets, F16Rows prototypes,
                            F16Rows memberEmbeddings, FloatBuffer memberLatLon) {
        this.cells = cellClusterOffsets.length - 1;
        this.dim = dim;
        this.cellClusterOffsets = cellClusterOffsets;
        this.clusterMemberOffsets = clusterMemberOffsets;
        this.prototypes = prototypes;
        this.memberEmbeddings = memberEmbeddings;
        this.memberLatLon = memberLatLon;
        validate();
    }

    /** Builds an index in memory; arrays as in the file layout (embeddings row-major float32, stored as float16). */
    public static RefinementIndex of(int dim, int[] cellClusterOffsets, float[] prototypes, int[] clusterMemberOffsets,
                                     float[] memberEmbeddings, float[] memberLatLon) {
        if (cellClusterOffsets.length < 2 || clusterMemberOffsets.length < 1 || memberLatLon.length % 2 != 0) {
            throw new IllegalArgumentException("refinement index needs at least one cell, cluster offsets and (lat, lon) pairs");
        }
        int m = clusterMemberOffsets.length - 1;
        int n = memberLatLon.length / 2;
        FloatBuffer latlon = FloatBuffer.wrap(memberLatLon.clone()).asReadOnlyBuffer();
        return new RefinementIndex(dim, cellClusterOffsets.clone(), clusterMemberOffsets.clone(),
                F16Rows.of(Tensor.f16(prototypes, m, dim).data(), m, dim),
                F16Rows.of(Tensor.f16(memberEmbeddings, n, dim).data(), n, dim), latlon);
    }

    /**
     * Maps an index file. Only the offsets are read into the heap; embeddings and coordinates stay mapped.
     *
     * @throws IOException naming the file and the problem (missing tensor, wrong type or shape, inconsistent
     *                     offsets, invalid coordinates, truncated file)
     */
    public static RefinementIndex read(Path file) throws IOException {
        return read(file, F16Rows.SEGMENT_BYTES);
    }

    /** As {@link #read(Path)} with embedding segments of at most {@code segmentBytes} (tests use tiny ones). */
    static RefinementIndex read(Path file, long segmentBytes) throws IOException {
        Map<String, TensorInfo> t = Safetensors.header(file);
        for (String name : TENSORS) {
            if (!t.containsKey(name)) {
                throw new IOException(file + ": refinement index lacks tensor '" + name + "'");
            }
        }
        TensorInfo protos = t.get("prototypes");
        TensorInfo members = t.get("member_embeddings");
        TensorInfo latlon = t.get("member_latlon");
        if (protos.dtype() != DType.F16 || members.dtype() != DType.F16) {
            throw new IOException(file + ": prototypes and member_embeddings must be F16");
        }
        if (protos.shape().length != 2 || members.shape().length != 2 || protos.shape()[1] != members.shape()[1]
                || protos.shape()[1] < 1 || protos.shape()[1] > 1 << 20) {
            throw new IOException(file + ": prototypes and member_embeddings must be [rows, D] with the same D");
        }
        if (latlon.dtype() != DType.F32 || latlon.shape().length != 2 || latlon.shape()[1] != 2
                || latlon.shape()[0] != members.shape()[0]) {
            throw new IOException(file + ": member_latlon must be F32 [N, 2] with N = " + members.shape()[0]
                    + " (one row per member embedding)");
        }
        if (members.shape()[0] > Integer.MAX_VALUE || protos.shape()[0] > Integer.MAX_VALUE) {
            throw new IOException(file + ": more than " + Integer.MAX_VALUE + " rows (I32 offsets cannot address them)");
        }
        int dim = (int) protos.shape()[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int[] cellOffsets = ints(file, ch, "cell_cluster_offsets", t.get("cell_cluster_offsets"));
            int[] memberOffsets = ints(file, ch, "cluster_member_offsets", t.get("cluster_member_offsets"));
            F16Rows p = F16Rows.map(ch, protos.fileOffset(), protos.shape()[0], dim, segmentBytes);
            F16Rows e = F16Rows.map(ch, members.fileOffset(), members.shape()[0], dim, segmentBytes);
            FloatBuffer ll = latlon.byteLength() == 0 ? FloatBuffer.allocate(0)
                    : ch.map(FileChannel.MapMode.READ_ONLY, latlon.fileOffset(), latlon.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            return new RefinementIndex(dim, cellOffsets, memberOffsets, p, e, ll);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int[] ints(Path file, FileChannel ch, String name, TensorInfo info) throws IOException {
        if (info.dtype() != DType.I32 && info.dtype() != DType.I64 || info.shape().length != 1) {
            throw new IOException(file + ": tensor '" + name + "' must be a vector of I32");
        }
        if (info.byteLength() > Safetensors.MAX_BUFFER_BYTES) {
            throw new IOException(file + ": tensor '" + name + "' is too large (" + info.byteLength() + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, info.fileOffset() + b.position()) < 0) {
                throw new IOException(file + ": truncated in tensor '" + name + "'");
            }
        }
        try {
            return new Tensor(info.dtype(), info.shape(), b.flip()).toInts();
        } catch (ArithmeticException e) {
            throw new IOException(file + ": tensor '" + name + "' holds a value outside the int range");
        }
    }

    /** Writes the index atomically (safetensors; rows are streamed, so any size works). */
    public void write(Path file) throws IOException {
        Map<String, StreamedTensor> t = new LinkedHashMap<>();
        t.put("cell_cluster_offsets", StreamedTensor.of(Tensor.i32(cellClusterOffsets, cellClusterOffsets.length)));
        t.put("prototypes", new StreamedTensor(DType.F16, new long[] {clusters(), dim}, prototypes::writeTo));
        t.put("cluster_member_offsets", StreamedTensor.of(Tensor.i32(clusterMemberOffsets, clusterMemberOffsets.length)));
        t.put("member_embeddings", new StreamedTensor(DType.F16, new long[] {members(), dim}, memberEmbeddings::writeTo));
        t.put("member_latlon", new StreamedTensor(DType.F32, new long[] {members(), 2}, out -> {
            ByteBuffer b = ByteBuffer.allocate(8 * 65536).order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer src = memberLatLon.duplicate();
            src.rewind();
            while (src.hasRemaining()) {
                b.clear();
                while (src.hasRemaining() && b.hasRemaining()) {
                    b.putFloat(src.get());
                }
                b.flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        }));
        Safetensors.writeStreamed(file, t, Map.of("format", FORMAT));
    }

    private void validate() {
        int m = clusterMemberOffsets.length - 1;
        long n = memberLatLon.limit() / 2;
        if (cells < 1 || cellClusterOffsets[0] != 0 || cellClusterOffsets[cells] != m) {
            throw new IllegalArgumentException("cell_cluster_offsets must start at 0 and end at the cluster count " + m);
        }
        if (m < 0 || clusterMemberOffsets[0] != 0 || clusterMemberOffsets[m] != n) {
            throw new IllegalArgumentException("cluster_member_offsets must start at 0 and end at the member count " + n);
        }
        checkMonotone(cellClusterOffsets, "cell_cluster_offsets");
        checkMonotone(clusterMemberOffsets, "cluster_member_offsets");
        if (prototypes.rows() != m || memberEmbeddings.rows() != n || prototypes.dim() != dim || memberEmbeddings.dim() != dim) {
            throw new IllegalArgumentException("embedding tensors do not match " + m + " clusters / " + n + " members of dimension " + dim);
        }
        // One pass over the mapped coordinates (36 MB at 4.5M members): a bad file fails at load, not mid-query.
        for (int i = 0; i < n; i++) {
            float lat = memberLatLon.get(2 * i);
            float lon = memberLatLon.get(2 * i + 1);
            if (!LatLon.isValid(lat, lon)) {
                throw new IllegalArgumentException("member " + i + " has invalid coordinates " + lat + "," + lon);
            }
        }
    }

    private static void checkMonotone(int[] offsets, String name) {
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException(name + " decreases at " + i);
            }
        }
    }

    /** Number of geocells C the index covers (must equal the head's classes). */
    public int cells() {
        return cells;
    }

    /** Embedding width D of prototypes and members. */
    public int dimension() {
        return dim;
    }

    /** Number of clusters M over all cells (rows of {@code prototypes}). */
    public int clusters() {
        return clusterMemberOffsets.length - 1;
    }

    /** Number of members N over all clusters (rows of {@code member_embeddings}). */
    public int members() {
        return memberLatLon.limit() / 2;
    }

    /**
     * First cluster row of {@code cell}; its clusters are {@code firstCluster(cell)} until {@link #endCluster}
     * (exclusive), empty when equal.
     */
    public int firstCluster(int cell) {
        return cellClusterOffsets[cell];
    }

    /** One past the last cluster row of {@code cell}. */
    public int endCluster(int cell) {
        return cellClusterOffsets[cell + 1];
    }

    /**
     * First member row of {@code cluster}; its members are {@code firstMember(cluster)} until {@link #endMember}
     * (exclusive).
     */
    public int firstMember(int cluster) {
        return clusterMemberOffsets[cluster];
    }

    /** One past the last member row of {@code cluster}. */
    public int endMember(int cluster) {
        return clusterMemberOffsets[cluster + 1];
    }

    /** Training coordinate of member row {@code member} (degrees, from {@code member_latlon}). */
    public LatLon memberLocation(int member) {
        return new LatLon(memberLatLon.get(2 * member), memberLatLon.get(2 * member + 1));
    }

    /** The embedding of member {@code member}, widened to float (tests, diagnostics). */
    public float[] memberEmbedding(int member) {
        return memberEmbeddings.row(member);
    }

    /** Squared L2 distance from the query to cluster prototype {@code cluster}. */
    public double prototypeDistanceSq(int cluster, float[] query) {
        return prototypes.distanceSq(cluster, checkQuery(query), new short[dim]);
    }

    /** Squared L2 distance from the query to member {@code member}'s embedding. */
    public double memberDistanceSq(int member, float[] query) {
        return memberEmbeddings.distanceSq(member, checkQuery(query), new short[dim]);
    }

    /**
     * The cluster of {@code cell} whose prototype is nearest to the query, skipping clusters without members
     * (they cannot supply a point).
     *
     * @return the nearest cluster and its squared distance, or null when the cell has no cluster with members
     */
    public Nearest nearestCluster(int cell, float[] query) {
        checkQuery(query);
        short[] scratch = new short[dim];
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = cellClusterOffsets[cell]; c < cellClusterOffsets[cell + 1]; c++) {
            if (clusterMemberOffsets[c] == clusterMemberOffsets[c + 1]) {
                continue;
            }
            double d = prototypes.distanceSq(c, query, scratch);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best < 0 ? null : new Nearest(best, bestD);
    }

    /**
     * The member of {@code cluster} nearest to the query (the first on ties).
     *
     * @return the member row and its squared distance, or null for a cluster without members
     */
    public Nearest nearestMember(int cluster, float[] query) {
        checkQuery(query);
        short[] scratch = new short[dim];
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int m = clusterMemberOffsets[cluster]; m < clusterMemberOffsets[cluster + 1]; m++) {
            double d = memberEmbeddings.distanceSq(m, query, scratch);
            if (d < bestD) {
                bestD = d;
                best = m;
            }
        }
        return best < 0 ? null : new Nearest(best, bestD);
    }

    /**
     * A nearest row.
     *
     * @param row        cluster or member index
     * @param distanceSq squared L2 distance to the query
     */
    public record Nearest(int row, double distanceSq) {
    }

    /** Mapped segments of the member embeddings (1 when in memory or under 1 GiB). */
    public int memberSegments() {
        return memberEmbeddings.segments();
    }

    private float[] checkQuery(float[] q) {
        if (q.length != dim) {
            throw new IllegalArgumentException("query has dimension " + q.length + ", index has " + dim);
        }
        return q;
    }
}
