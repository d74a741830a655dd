package org.geopigeon.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.Tensor;

/**
 * Geotagged embeddings: row i is (embedding float[D], lat, lon). Stored compactly as two flat
 * arrays so 100k x 1024 costs 400 MB and no per-row objects. Immutable (arrays are copied in and
 * never handed out).
 *
 * <p>File format ({@code geopigeon-gallery/1}, safetensors): {@code embeddings} F16 or F32 [N, D]
 * and {@code latlon} F32 [N, 2] (lat, lon). F16 halves the file; embeddings of CLIP-like models lose
 * nothing that matters for nearest-neighbour retrieval or a linear probe.
 */
public final class Gallery {

    public static final String FORMAT = "geopigeon-gallery/1";

    private final int dim;
    private final float[] embeddings;
    private final float[] latlon;

    /**
     * @param dim        D
     * @param embeddings row-major [N, D]
     * @param latlon     row-major [N, 2], (lat, lon) per row
     */
    public Gallery(int dim, float[] embeddings, float[] latlon) {
        this(dim, embeddings.clone(), latlon.clone(), true);
    }

    private Gallery(int dim, float[] embeddings, float[] latlon, boolean check) {
        if (dim < 1) {
            throw new IllegalArgumentException("gallery embedding dimension must be >= 1, got " + dim);
        }
        if (latlon.length % 2 != 0) {
            throw new IllegalArgumentException("latlon must hold (lat, lon) pairs, got " + latlon.length + " values");
        }
        int n = latlon.length / 2;
        if (embeddings.length != (long) n * dim) {
            throw new IllegalArgumentException("gallery has " + n + " coordinates but " + embeddings.length
                    + " embedding values; expected " + n + " x " + dim);
        }
        if (check) {
            int bad = 0;
            int first = -1;
            for (int i = 0; i < n; i++) {
                if (!LatLon.isValid(latlon[2 * i], latlon[2 * i + 1])) {
                    bad++;
                    first = first < 0 ? i : first;
                }
            }
            if (bad > 0) {
                throw new IllegalArgumentException(bad + " of " + n + " gallery rows have invalid coordinates (first: row "
                        + first + " lat=" + latlon[2 * first] + ", lon=" + latlon[2 * first + 1] + ")");
            }
            for (int i = 0; i < embeddings.length; i++) {
                if (!Float.isFinite(embeddings[i])) {
                    throw new IllegalArgumentException("gallery row " + (i / dim) + " has a non-finite embedding value "
                            + embeddings[i]);
                }
            }
        }
        this.dim = dim;
        this.embeddings = embeddings;
        this.latlon = latlon;
    }

    /** Builds a gallery from per-row embeddings and locations. */
    public static Gallery of(List<float[]> rows, List<LatLon> locations) {
        if (rows.size() != locations.size()) {
            throw new IllegalArgumentException(rows.size() + " embeddings but " + locations.size() + " locations");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a gallery needs at least one row");
        }
        int d = rows.get(0).length;
        float[] e = new float[rows.size() * d];
        float[] ll = new float[rows.size() * 2];
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != d) {
                throw new IllegalArgumentException("embedding " + i + " has dimension " + rows.get(i).length + ", row 0 has " + d);
            }
            System.arraycopy(rows.get(i), 0, e, i * d, d);
            ll[2 * i] = (float) locations.get(i).lat();
            ll[2 * i + 1] = (float) locations.get(i).lon();
        }
        return new Gallery(d, e, ll, true);
    }

    public int size() {
        return latlon.length / 2;
    }

    public int dim() {
        return dim;
    }

    public double lat(int row) {
        return latlon[2 * row];
    }

    public double lon(int row) {
        return latlon[2 * row + 1];
    }

    public LatLon location(int row) {
        return new LatLon(latlon[2 * row], latlon[2 * row + 1]);
    }

    public List<LatLon> locations() {
        List<LatLon> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(location(i));
        }
        return out;
    }

    /** A copy of row {@code row}'s embedding. */
    public float[] embedding(int row) {
        float[] out = new float[dim];
        System.arraycopy(embeddings, row * dim, out, 0, dim);
        return out;
    }

    /** Copies row {@code row}'s embedding into {@code out[offset .. offset + D)}. */
    public void copyEmbedding(int row, float[] out, int offset) {
        System.arraycopy(embeddings, row * dim, out, offset, dim);
    }

    /** The rows in the given order (repeats allowed). */
    public Gallery subset(int[] rows) {
        float[] e = new float[rows.length * dim];
        float[] ll = new float[rows.length * 2];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(embeddings, rows[i] * dim, e, i * dim, dim);
            ll[2 * i] = latlon[2 * rows[i]];
            ll[2 * i + 1] = latlon[2 * rows[i] + 1];
        }
        return new Gallery(dim, e, ll, false);
    }

    /** Same embeddings, coordinates replaced by those of a CSV with one lat,lon row per gallery row (same order). */
    public Gallery withCoordinatesFrom(Path csv) throws IOException {
        List<CoordinateCsv.Row> rows = CoordinateCsv.read(csv, false);
        if (rows.size() != size()) {
            throw new IOException(csv + ": has " + rows.size() + " coordinate rows but the gallery has " + size() + " embeddings");
        }
        float[] ll = new float[size() * 2];
        for (int i = 0; i < rows.size(); i++) {
            ll[2 * i] = (float) rows.get(i).location().lat();
            ll[2 * i + 1] = (float) rows.get(i).location().lon();
        }
        return new Gallery(dim, embeddings, ll, false);
    }

    /** Writes the coordinates as a {@code lat,lon} CSV, one row per gallery row. */
    public void writeCoordinatesCsv(Path csv) throws IOException {
        List<CoordinateCsv.Row> rows = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            rows.add(new CoordinateCsv.Row(null, location(i), i + 2));
        }
        CoordinateCsv.write(csv, rows);
    }

    /** Writes atomically; {@code f16} stores embeddings as float16. */
    public void write(Path file, boolean f16) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("embeddings", f16 ? Tensor.f16(embeddings, size(), dim) : Tensor.f32(embeddings, size(), dim));
        t.put("latlon", Tensor.f32(latlon, size(), 2));
        Safetensors.write(file, t, Map.of("format", FORMAT));
    }

    public static Gallery read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": gallery file not found");
        }
        Map<String, Tensor> t = Safetensors.read(file);
        Tensor e = t.get("embeddings");
        Tensor ll = t.get("latlon");
        if (e == null || ll == null) {
            throw new IOException(file + ": gallery needs tensors 'embeddings' [N,D] and 'latlon' [N,2]; found " + t.keySet());
        }
        if (e.dtype() != DType.F16 && e.dtype() != DType.F32) {
            throw new IOException(file + ": 'embeddings' is " + e.dtype() + ", expected F16 or F32");
        }
        if (ll.dtype() != DType.F32) {
            throw new IOException(file + ": 'latlon' is " + ll.dtype() + ", expected F32");
        }
        if (e.shape().length != 2 || ll.shape().length != 2 || ll.shape()[1] != 2 || e.shape()[0] != ll.shape()[0]) {
            throw new IOException(file + ": 'embeddings' " + java.util.Arrays.toString(e.shape()) + " and 'latlon' "
                    + java.util.Arrays.toString(ll.shape()) + " must be [N,D] and [N,2] with the same N");
        }
        if (e.shape()[0] == 0) {
            throw new IOException(file + ": gallery is empty (0 rows)");
        }
        try {
            return new Gallery(Math.toIntExact(e.shape()[1]), e.toFloats(), ll.toFloats(), true);
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
    }
}
