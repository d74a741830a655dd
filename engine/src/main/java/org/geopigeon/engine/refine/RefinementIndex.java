package org.geopigeon.engine.refine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.Tensor;

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
 * Embeddings stay memory-mapped as float16, halving memory; 100k members x 1024 = 200 MB mapped, read lazily.
 */
public final class RefinementIndex {

    public static final String FORMAT = "geopigeon-refinement/1";

    private final int cells;
    private final int dim;
    private final int[] cellClusterOffsets;
    private final int[] clusterMemberOffsets;
    private final ByteBuffer prototypes;
    private final ByteBuffer memberEmbeddings;
    private final float[] memberLatLon;

    private RefinementIndex(int dim, int[] cellClusterOffsets, int[] clusterMemberOffsets, ByteBuffer prototypes,
                            ByteBuffer memberEmbeddings, float[] memberLatLon) {
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
        int m = clusterMemberOffsets.length - 1;
        int n = memberLatLon.length / 2;
        return new RefinementIndex(dim, cellClusterOffsets.clone(), clusterMemberOffsets.clone(),
                Tensor.f16(prototypes, m, dim).data(), Tensor.f16(memberEmbeddings, n, dim).data(), memberLatLon.clone());
    }

    public static RefinementIndex read(Path file) throws IOException {
        Map<String, Tensor> t = Safetensors.read(file);
        for (String name : new String[] {"cell_cluster_offsets", "prototypes", "cluster_member_offsets",
                "member_embeddings", "member_latlon"}) {
            if (!t.containsKey(name)) {
                throw new IOException(file + ": refinement index lacks tensor '" + name + "'");
            }
        }
        Tensor protos = t.get("prototypes");
        Tensor members = t.get("member_embeddings");
        if (protos.dtype() != Safetensors.DType.F16 || members.dtype() != Safetensors.DType.F16) {
            throw new IOException(file + ": prototypes and member_embeddings must be F16");
        }
        if (protos.shape().length != 2 || members.shape().length != 2 || protos.shape()[1] != members.shape()[1]) {
            throw new IOException(file + ": prototypes and member_embeddings must be [rows, D] with the same D");
        }
        try {
            return new RefinementIndex((int) protos.shape()[1], t.get("cell_cluster_offsets").toInts(),
                    t.get("cluster_member_offsets").toInts(), protos.data(), members.data(),
                    t.get("member_latlon").toFloats());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("cell_cluster_offsets", Tensor.i32(cellClusterOffsets, cellClusterOffsets.length));
        t.put("prototypes", new Tensor(Safetensors.DType.F16, new long[] {clusters(), dim}, prototypes.duplicate()));
        t.put("cluster_member_offsets", Tensor.i32(clusterMemberOffsets, clusterMemberOffsets.length));
        t.put("member_embeddings", new Tensor(Safetensors.DType.F16, new long[] {members(), dim}, memberEmbeddings.duplicate()));
        t.put("member_latlon", Tensor.f32(memberLatLon, members(), 2));
        Safetensors.write(file, t, Map.of("format", FORMAT));
    }

    private void validate() {
        int m = clusterMemberOffsets.length - 1;
        int n = memberLatLon.length / 2;
        if (cells < 1 || cellClusterOffsets[0] != 0 || cellClusterOffsets[cells] != m) {
            throw new IllegalArgumentException("cell_cluster_offsets must start at 0 and end at the cluster count " + m);
        }
        if (clusterMemberOffsets[0] != 0 || clusterMemberOffsets[m] != n) {
            throw new IllegalArgumentException("cluster_member_offsets must start at 0 and end at the member count " + n);
        }
        checkMonotone(cellClusterOffsets, "cell_cluster_offsets");
        checkMonotone(clusterMemberOffsets, "cluster_member_offsets");
        if (prototypes.remaining() != (long) m * dim * 2 || memberEmbeddings.remaining() != (long) n * dim * 2) {
            throw new IllegalArgumentException("embedding tensors do not match " + m + " clusters / " + n + " members of dimension " + dim);
        }
        for (int i = 0; i < memberLatLon.length; i += 2) {
            if (!LatLon.isValid(memberLatLon[i], memberLatLon[i + 1])) {
                throw new IllegalArgumentException("member " + (i / 2) + " has invalid coordinates "
                        + memberLatLon[i] + "," + memberLatLon[i + 1]);
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

    public int cells() {
        return cells;
    }

    public int dimension() {
        return dim;
    }

    public int clusters() {
        return clusterMemberOffsets.length - 1;
    }

    public int members() {
        return memberLatLon.length / 2;
    }

    public int firstCluster(int cell) {
        return cellClusterOffsets[cell];
    }

    public int endCluster(int cell) {
        return cellClusterOffsets[cell + 1];
    }

    public int firstMember(int cluster) {
        return clusterMemberOffsets[cluster];
    }

    public int endMember(int cluster) {
        return clusterMemberOffsets[cluster + 1];
    }

    public LatLon memberLocation(int member) {
        return new LatLon(memberLatLon[2 * member], memberLatLon[2 * member + 1]);
    }

    /** Squared L2 distance from the query to cluster prototype {@code cluster}. */
    public double prototypeDistanceSq(int cluster, float[] query) {
        return distanceSq(prototypes, cluster, query);
    }

    /** Squared L2 distance from the query to member {@code member}'s embedding. */
    public double memberDistanceSq(int member, float[] query) {
        return distanceSq(memberEmbeddings, member, query);
    }

    private double distanceSq(ByteBuffer rows, int row, float[] q) {
        if (q.length != dim) {
            throw new IllegalArgumentException("query has dimension " + q.length + ", index has " + dim);
        }
        int base = row * dim * 2;
        double s = 0;
        for (int i = 0; i < dim; i++) {
            double d = Half.toFloat(rows.getShort(base + 2 * i)) - q[i];
            s += d * d;
        }
        return s;
    }
}
