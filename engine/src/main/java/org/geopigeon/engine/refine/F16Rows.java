package org.geopigeon.engine.refine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.geopigeon.engine.io.Half;

/**
 * A matrix of float16 rows (row-major, little-endian), either memory-mapped from a file or held in a heap
 * buffer, with the squared-L2 kernel refinement runs on.
 *
 * <p>Segments: a Java buffer is indexed by int, so one mapping covers at most 2 GiB. The rows are mapped
 * as consecutive segments of whole rows of at most {@value #SEGMENT_BYTES} bytes each (PIGEOTTO's 4.5M
 * x 1024 gallery is 9.2 GB: 9 segments); a row never straddles two segments, so the kernel reads one
 * contiguous range. Mapping costs address space only: pages are read on first touch and stay in the
 * page cache, so the Java heap stays flat whatever the gallery size.
 *
 * <p>The kernel copies a row's 2-byte values into a scratch {@code short[]} with one bulk get (a memcpy),
 * widens them through a 65,536-entry lookup table (256 KB, stays in L2) and accumulates the squared
 * differences in four independent float sums, which the JIT keeps in registers. Measured on the
 * development machine this is about twice as fast as decoding each half with branches
 * ({@link Half#toFloat}); see docs/bundle-format.md ("Refinement index at scale").
 *
 * <p>Immutable and thread-safe (absolute reads only; each caller passes its own scratch array).
 */
final class F16Rows {

    /** Largest segment mapped as one buffer: 1 GiB (well under the 2 GiB limit, whole rows only). */
    static final int SEGMENT_BYTES = 1 << 30;

    /**
     * float16 bit pattern -> float, for all 65,536 patterns. Constant after class initialisation: private, filled by
     * {@link #halfTable()} and only read (an array, because the hot loop indexes it).
     */
    private static final float[] HALF_TO_FLOAT = halfTable();

    private final ShortBuffer[] segments;
    private final long rows;
    private final int dim;
    private final int rowsPerSegment;

    private F16Rows(ShortBuffer[] segments, long rows, int dim, int rowsPerSegment) {
        this.segments = segments;
        this.rows = rows;
        this.dim = dim;
        this.rowsPerSegment = rowsPerSegment;
    }

    /** Rows held in a heap (or direct) little-endian buffer of exactly rows x dim x 2 bytes. */
    static F16Rows of(ByteBuffer data, long rows, int dim) {
        checkShape(rows, dim);
        if (data.remaining() != rows * dim * 2) {
            throw new IllegalArgumentException("float16 rows: " + data.remaining() + " bytes for " + rows + " x " + dim);
        }
        if (rows * dim * 2 > SEGMENT_BYTES) {
            throw new IllegalArgumentException("float16 rows over " + SEGMENT_BYTES + " bytes must be mapped from a file");
        }
        ShortBuffer s = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        return new F16Rows(new ShortBuffer[] {s}, rows, dim, (int) Math.max(rows, 1));
    }

    /**
     * Maps {@code rows x dim} float16 values starting at byte {@code offset} of the file, in segments.
     * The channel may be closed afterwards: mappings stay valid until garbage-collected.
     */
    static F16Rows map(FileChannel ch, long offset, long rows, int dim) throws IOException {
        return map(ch, offset, rows, dim, SEGMENT_BYTES);
    }

    /** As {@link #map(FileChannel, long, long, int)} with segments of at most {@code segmentBytes} (tests). */
    static F16Rows map(FileChannel ch, long offset, long rows, int dim, long segmentBytes) throws IOException {
        checkShape(rows, dim);
        long rowBytes = 2L * dim;
        int perSegment = (int) Math.min(Integer.MAX_VALUE / rowBytes, Math.max(1, segmentBytes / rowBytes));
        int count = (int) Math.max(1, (rows + perSegment - 1) / perSegment);
        ShortBuffer[] segs = new ShortBuffer[count];
        for (int i = 0; i < count; i++) {
            long first = (long) i * perSegment;
            long n = Math.min(perSegment, rows - first);
            segs[i] = n <= 0 ? ShortBuffer.allocate(0)
                    : ch.map(FileChannel.MapMode.READ_ONLY, offset + first * rowBytes, n * rowBytes)
                    .order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        }
        return new F16Rows(segs, rows, dim, perSegment);
    }

    private static void checkShape(long rows, int dim) {
        if (rows < 0 || dim < 1) {
            throw new IllegalArgumentException("float16 rows need rows >= 0 and D >= 1, got " + rows + " x " + dim);
        }
    }

    long rows() {
        return rows;
    }

    int dim() {
        return dim;
    }

    /** Number of mapped segments (1 for in-memory rows). */
    int segments() {
        return segments.length;
    }

    /** Squared L2 distance from {@code query} to row {@code row}; {@code scratch} holds at least D values. */
    double distanceSq(long row, float[] query, short[] scratch) {
        segments[(int) (row / rowsPerSegment)].get((int) (row % rowsPerSegment) * dim, scratch, 0, dim);
        float[] table = HALF_TO_FLOAT;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            float d0 = table[scratch[i] & 0xFFFF] - query[i];
            float d1 = table[scratch[i + 1] & 0xFFFF] - query[i + 1];
            float d2 = table[scratch[i + 2] & 0xFFFF] - query[i + 2];
            float d3 = table[scratch[i + 3] & 0xFFFF] - query[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < dim; i++) {
            float d = table[scratch[i] & 0xFFFF] - query[i];
            s0 += d * d;
        }
        return (double) (s0 + s1) + (s2 + s3);
    }

    /** Row {@code row} widened to float. */
    float[] row(long row) {
        short[] s = new short[dim];
        segments[(int) (row / rowsPerSegment)].get((int) (row % rowsPerSegment) * dim, s, 0, dim);
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = HALF_TO_FLOAT[s[i] & 0xFFFF];
        }
        return out;
    }

    /** Writes all rows' bytes in order (little-endian). */
    void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (ShortBuffer seg : segments) {
            ShortBuffer src = seg.duplicate();
            src.rewind();
            while (src.hasRemaining()) {
                buf.clear();
                int n = Math.min(src.remaining(), buf.capacity() / 2);
                for (int i = 0; i < n; i++) {
                    buf.putShort(src.get());
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        }
    }

    private static float[] halfTable() {
        float[] t = new float[1 << 16];
        for (int h = 0; h < t.length; h++) {
            t[h] = Half.toFloat((short) h);
        }
        return t;
    }
}
