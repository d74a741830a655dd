package org.geopigeon.engine.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.StreamedTensor;
import org.geopigeon.engine.io.Safetensors.Tensor;
import org.geopigeon.engine.io.Safetensors.TensorInfo;

/**
 * Geotagged embeddings: row i is (embedding float[D], lat, lon). Immutable (arrays are copied in and never handed
 * out); thread-safe.
 *
 * <p>Storage: a gallery built in this JVM ({@link #of}, the constructor) holds its embeddings in one float array
 * (at most 2^31 values, about 2.1 million rows of 1024; 100k x 1024 costs 400 MB). A gallery read from a file
 * ({@link #read}) keeps its embeddings in the file, memory-mapped in segments of whole rows ({@link GalleryRows}),
 * so a gallery of any size (PIGEOTTO's 4.5 million x 1024 photos, as {@code geopigeon batch gallery} writes it
 * on Spark) reads with a flat heap: only the coordinates (8 bytes a row) are on the heap. Consumers take one row at a
 * time ({@link #copyEmbedding}): head training, the refinement index builder and {@code evaluate --gallery} never
 * hold more than a batch of embeddings.
 *
 * <p>File format ({@code geopigeon-gallery/1}, safetensors): {@code embeddings} F16 or F32 [N, D] and
 * {@code latlon} F32 [N, 2] (lat, lon). F16 halves the file; embeddings of CLIP-like models lose nothing that
 * matters for nearest-neighbour retrieval or a linear probe.
 */
public final class Gallery {

    public static final String FORMAT = "geopigeon-gallery/1";

    /**
     * Most embedding values a gallery built in this JVM holds ({@link #of}, the constructor, {@link #subset},
     * {@code train --photos}): one Java float array, 2^31 - 9 values (the JVM's largest array), about 2.1 million
     * rows of 1024. Larger galleries are built on Spark ({@code geopigeon batch gallery}) and {@link #read} from
     * their file.
     */
    public static final long MAX_HEAP_VALUES = Integer.MAX_VALUE - 8;

    /** Most rows {@link #read} takes: the coordinates, two floats a row, are one heap array. */
    public static final long MAX_ROWS = MAX_HEAP_VALUES / 2;

    private final int dim;
    private final GalleryRows embeddings;
    private final float[] latlon;

    /**
     * @param dim        D
     * @param embeddings row-major [N, D]
     * @param latlon     row-major [N, 2], (lat, lon) per row
     * @throws IllegalArgumentException when the shapes disagree, a coordinate is invalid or a value is not finite
     */
    public Gallery(int dim, float[] embeddings, float[] latlon) {
        this(dim, heap(dim, embeddings.clone()), latlon.clone(), true);
    }

    private Gallery(int dim, GalleryRows embeddings, float[] latlon, boolean check) {
        if (latlon.length % 2 != 0) {
            throw new IllegalArgumentException("latlon must hold (lat, lon) pairs, got " + latlon.length + " values");
        }
        int n = latlon.length / 2;
        if (embeddings.rows() != n) {
            throw new IllegalArgumentException("gallery has " + n + " coordinates but " + embeddings.rows()
                    + " embedding rows; expected " + n + " x " + dim);
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
            int nonFinite = firstNonFiniteRow(embeddings);
            if (nonFinite >= 0) {
                throw new IllegalArgumentException("gallery row " + nonFinite + " has a non-finite embedding value");
            }
        }
        this.dim = dim;
        this.embeddings = embeddings;
        this.latlon = latlon;
    }

    private static GalleryRows heap(int dim, float[] values) {
        if (dim < 1) {
            throw new IllegalArgumentException("gallery embedding dimension must be >= 1, got " + dim);
        }
        if (values.length % dim != 0) {
            throw new IllegalArgumentException("gallery has " + values.length + " embedding values, not a multiple of D = "
                    + dim);
        }
        return new GalleryRows.Heap(dim, values);
    }

    private static int firstNonFiniteRow(GalleryRows rows) {
        if (rows instanceof GalleryRows.Mapped m) {
            return m.firstNonFiniteRow();
        }
        float[] v = ((GalleryRows.Heap) rows).values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i / rows.dim();
            }
        }
        return -1;
    }

    /**
     * Builds a gallery from per-row embeddings and locations, on the heap.
     *
     * @throws IllegalArgumentException when the rows hold more than {@link #MAX_HEAP_VALUES} values together (build
     *                                  the gallery with {@code geopigeon batch gallery} and {@link #read} it instead)
     */
    public static Gallery of(List<float[]> rows, List<LatLon> locations) {
        if (rows.size() != locations.size()) {
            throw new IllegalArgumentException(rows.size() + " embeddings but " + locations.size() + " locations");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a gallery needs at least one row");
        }
        int d = rows.get(0).length;
        float[] e = new float[heapValues(rows.size(), d)];
        float[] ll = new float[rows.size() * 2];
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != d) {
                throw new IllegalArgumentException("embedding " + i + " has dimension " + rows.get(i).length + ", row 0 has " + d);
            }
            System.arraycopy(rows.get(i), 0, e, i * d, d);
            ll[2 * i] = (float) locations.get(i).lat();
            ll[2 * i + 1] = (float) locations.get(i).lon();
        }
        return new Gallery(d, heap(d, e), ll, true);
    }

    private static int heapValues(long rows, int dim) {
        long values = rows * dim;
        if (values > MAX_HEAP_VALUES) {
            throw new IllegalArgumentException(tooLargeForHeap(rows, dim));
        }
        return (int) values;
    }

    /**
     * The message for a gallery beyond {@link #MAX_HEAP_VALUES}: names the limit and the way around it.
     *
     * @param rows N
     * @param dim  D
     */
    public static String tooLargeForHeap(long rows, int dim) {
        return String.format(Locale.ROOT, "%,d rows of %d values (%,d) exceed the %,d embedding values (2^31 - 9) a"
                + " gallery built in one JVM holds; build it on Spark with 'geopigeon batch gallery' and train with"
                + " --gallery FILE, which reads a gallery file of any size", rows, dim, rows * (long) dim, MAX_HEAP_VALUES);
    }

    public int size() {
        return latlon.length / 2;
    }

    public int dim() {
        return dim;
    }

    /** True when the embeddings are mapped from a file rather than held on the heap. */
    public boolean mapped() {
        return embeddings instanceof GalleryRows.Mapped;
    }

    /** Buffers the embeddings are held in (1 on the heap; for a mapped file, its segments of at most 1 GiB). */
    int segments() {
        return embeddings.segments();
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

    /** Every row's location; 32 bytes a row on the heap, so page through {@link #location} for big galleries. */
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
        embeddings.copy(checkRow(row), out, 0);
        return out;
    }

    /** Copies row {@code row}'s embedding into {@code out[offset .. offset + D)}. */
    public void copyEmbedding(int row, float[] out, int offset) {
        embeddings.copy(checkRow(row), out, offset);
    }

    private int checkRow(int row) {
        if (row < 0 || row >= size()) {
            throw new IndexOutOfBoundsException("gallery row " + row + " of " + size());
        }
        return row;
    }

    /**
     * The rows in the given order (repeats allowed), on the heap.
     *
     * @throws IllegalArgumentException when they hold more than {@link #MAX_HEAP_VALUES} values together
     */
    public Gallery subset(int[] rows) {
        float[] e = new float[heapValues(rows.length, dim)];
        float[] ll = new float[rows.length * 2];
        for (int i = 0; i < rows.length; i++) {
            embeddings.copy(checkRow(rows[i]), e, i * dim);
            ll[2 * i] = latlon[2 * rows[i]];
            ll[2 * i + 1] = latlon[2 * rows[i] + 1];
        }
        return new Gallery(dim, heap(dim, e), ll, false);
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

    /**
     * Writes atomically, row by row (a mapped gallery of any size is streamed through a 1 MB buffer); {@code f16}
     * stores embeddings as float16.
     */
    public void write(Path file, boolean f16) throws IOException {
        int n = size();
        Map<String, StreamedTensor> t = new LinkedHashMap<>();
        t.put("embeddings", new StreamedTensor(f16 ? DType.F16 : DType.F32, new long[] {n, dim},
                out -> writeRows(out, f16)));
        t.put("latlon", StreamedTensor.of(Tensor.f32(latlon, n, 2)));
        Safetensors.writeStreamed(file, t, Map.of("format", FORMAT));
    }

    private void writeRows(WritableByteChannel out, boolean f16) throws IOException {
        int rowBytes = dim * (f16 ? 2 : 4);
        ByteBuffer b = ByteBuffer.allocate(Math.max(1 << 20, rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[dim];
        for (int r = 0; r < size(); r++) {
            embeddings.copy(r, row, 0);
            if (b.remaining() < rowBytes) {
                drain(out, b);
            }
            for (float v : row) {
                if (f16) {
                    b.putShort(Half.fromFloat(v));
                } else {
                    b.putFloat(v);
                }
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

    /**
     * Reads a gallery file: the coordinates onto the heap (8 bytes a row), the embeddings memory-mapped in segments of
     * at most 1 GiB of whole rows (up to {@link #MAX_ROWS} rows of any width, whatever the heap). Every coordinate and
     * embedding value is checked once, in one sequential pass over the file.
     *
     * @throws IOException naming the file and the problem (not a gallery, wrong shapes or types, invalid coordinates,
     *                     non-finite values)
     */
    public static Gallery read(Path file) throws IOException {
        return read(file, GalleryRows.SEGMENT_BYTES);
    }

    /** {@code count} little-endian floats from byte {@code offset}, through a 1 MiB buffer (no second copy on the heap). */
    private static float[] readFloats(Path file, FileChannel ch, long offset, int count) throws IOException {
        float[] out = new float[count];
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        long pos = offset;
        int done = 0;
        while (done < count) {
            b.clear().limit((int) Math.min(b.capacity(), (count - done) * 4L));
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    throw new IOException(file + ": gallery file is truncated in 'latlon'");
                }
            }
            pos += b.position();
            b.flip();
            int n = b.remaining() / 4;
            b.asFloatBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    /** As {@link #read(Path)} with embedding segments of at most {@code segmentBytes} (tests use tiny ones). */
    static Gallery read(Path file, long segmentBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": gallery file not found");
        }
        Map<String, TensorInfo> t = Safetensors.header(file);
        TensorInfo e = t.get("embeddings");
        TensorInfo ll = t.get("latlon");
        if (e == null || ll == null) {
            throw new IOException(file + ": gallery needs tensors 'embeddings' [N,D] and 'latlon' [N,2]; found " + t.keySet());
        }
        if (e.dtype() != DType.F16 && e.dtype() != DType.F32) {
            throw new IOException(file + ": 'embeddings' is " + e.dtype() + ", expected F16 or F32");
        }
        if (ll.dtype() != DType.F32) {
            throw new IOException(file + ": 'latlon' is " + ll.dtype() + ", expected F32");
        }
        long[] es = e.shape();
        long[] ls = ll.shape();
        if (es.length != 2 || ls.length != 2 || ls[1] != 2 || es[0] != ls[0]) {
            throw new IOException(file + ": 'embeddings' " + Arrays.toString(es) + " and 'latlon' "
                    + Arrays.toString(ls) + " must be [N,D] and [N,2] with the same N");
        }
        if (es[0] == 0) {
            throw new IOException(file + ": gallery is empty (0 rows)");
        }
        if (es[1] < 1 || es[1] > Integer.MAX_VALUE || es[0] > MAX_ROWS) {
            throw new IOException(file + ": a gallery of " + es[0] + " rows of " + es[1] + " values is beyond what"
                    + " this reader indexes (D from 1, at most " + MAX_ROWS + " rows)");
        }
        int rows = (int) es[0];
        int dim = (int) es[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            float[] latlon = readFloats(file, ch, ll.fileOffset(), rows * 2);
            GalleryRows mapped = GalleryRows.Mapped.map(ch, e.fileOffset(), rows, dim, e.dtype(), segmentBytes);
            return new Gallery(dim, mapped, latlon, true);
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
    }
}
