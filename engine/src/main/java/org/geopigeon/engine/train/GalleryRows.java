package org.geopigeon.engine.train;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.io.Safetensors.DType;

/**
 * Where a {@link Gallery}'s embeddings live: a float array on the heap (galleries built in this JVM), or a
 * gallery file mapped into memory in segments (galleries read from disk, of any size).
 *
 * <p>Why segments: a Java array or buffer is indexed by int, so one holds at most 2^31 values (about 2.1 million
 * rows of 1024), while a PIGEOTTO-scale gallery has 4.5 million. A mapped file costs address space only: pages are
 * read on first touch and live in the page cache, not the Java heap, so the heap stays flat whatever the gallery
 * size. Rows never straddle two segments, so one row is one contiguous range; the layout follows the refinement
 * index's ({@code org.geopigeon.engine.refine.F16Rows}, docs/bundle-format.md "At PIGEOTTO's scale"), here for
 * float32 as well as float16 rows.
 *
 * <p>Immutable and thread-safe: reads are absolute, so concurrent readers never share a position.
 */
sealed interface GalleryRows permits GalleryRows.Heap, GalleryRows.Mapped {

    /** Largest segment mapped as one buffer: 1 GiB of whole rows (well under the 2 GiB limit of a buffer). */
    long SEGMENT_BYTES = 1L << 30;

    /** N. */
    int rows();

    /** D. */
    int dim();

    /** Copies row {@code row}'s D values, widened to float, into {@code out[offset .. offset + D)}. */
    void copy(int row, float[] out, int offset);

    /** The type the values are stored in (F32 for heap rows). */
    DType dtype();

    /** Buffers the rows are held in: 1 on the heap, the mapped segments for a file. */
    int segments();

    /**
     * Row-major float32 values on the heap (at most 2^31 - 1 values).
     *
     * @param dim    D
     * @param values [N, D]
     */
    record Heap(int dim, float[] values) implements GalleryRows {

        @Override
        public int rows() {
            return values.length / dim;
        }

        @Override
        public void copy(int row, float[] out, int offset) {
            System.arraycopy(values, row * dim, out, offset, dim);
        }

        @Override
        public DType dtype() {
            return DType.F32;
        }

        @Override
        public int segments() {
            return 1;
        }
    }

    /** Rows of a file, mapped in segments of whole rows; float16 or float32, little-endian. */
    final class Mapped implements GalleryRows {

        /** float16 bit pattern to float, all 65,536 of them (a constant table: no branches per value). */
        private static final float[] HALF = halfTable();

        private final ShortBuffer[] halves;
        private final FloatBuffer[] floats;
        private final int rows;
        private final int dim;
        private final int rowsPerSegment;
        private final DType dtype;

        private Mapped(ShortBuffer[] halves, FloatBuffer[] floats, int rows, int dim, int rowsPerSegment, DType dtype) {
            this.halves = halves;
            this.floats = floats;
            this.rows = rows;
            this.dim = dim;
            this.rowsPerSegment = rowsPerSegment;
            this.dtype = dtype;
        }

        /**
         * Maps {@code rows x dim} values of {@code dtype} (F16 or F32) starting at byte {@code offset} of the file,
         * in segments of at most {@code segmentBytes} (whole rows; at least one row each). The channel may be closed
         * afterwards: mappings stay valid until garbage-collected.
         */
        static Mapped map(FileChannel ch, long offset, int rows, int dim, DType dtype, long segmentBytes)
                throws IOException {
            if (dtype != DType.F16 && dtype != DType.F32) {
                throw new IllegalArgumentException("gallery rows are F16 or F32, not " + dtype);
            }
            if (rows < 1 || dim < 1) {
                throw new IllegalArgumentException("need rows >= 1 and D >= 1, got " + rows + " x " + dim);
            }
            long rowBytes = (long) dim * (dtype == DType.F16 ? 2 : 4);
            int perSegment = (int) Math.min(Integer.MAX_VALUE / rowBytes, Math.max(1, segmentBytes / rowBytes));
            if (perSegment < 1) {
                throw new IllegalArgumentException("a row of " + dim + " values does not fit one buffer");
            }
            int count = (int) ((rows + (long) perSegment - 1) / perSegment);
            ShortBuffer[] h = dtype == DType.F16 ? new ShortBuffer[count] : null;
            FloatBuffer[] f = dtype == DType.F32 ? new FloatBuffer[count] : null;
            for (int i = 0; i < count; i++) {
                long first = (long) i * perSegment;
                long n = Math.min(perSegment, rows - first);
                var buffer = ch.map(FileChannel.MapMode.READ_ONLY, offset + first * rowBytes, n * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (h != null) {
                    h[i] = buffer.asShortBuffer();
                } else {
                    f[i] = buffer.asFloatBuffer();
                }
            }
            return new Mapped(h, f, rows, dim, perSegment, dtype);
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public int segments() {
            return halves != null ? halves.length : floats.length;
        }

        @Override
        public void copy(int row, float[] out, int offset) {
            int seg = row / rowsPerSegment;
            int base = (row % rowsPerSegment) * dim;
            if (floats != null) {
                floats[seg].get(base, out, offset, dim);
                return;
            }
            ShortBuffer s = halves[seg];
            float[] table = HALF;
            for (int j = 0; j < dim; j++) {
                out[offset + j] = table[s.get(base + j) & 0xFFFF];
            }
        }

        /**
         * The first row holding a NaN or infinite value, or -1 when all are finite: one sequential pass over the
         * file, so a damaged gallery fails at load rather than in the middle of training.
         */
        int firstNonFiniteRow() {
            for (int seg = 0; seg < segments(); seg++) {
                if (halves != null) {
                    ShortBuffer s = halves[seg];
                    for (int i = 0, n = s.limit(); i < n; i++) {
                        if ((s.get(i) & 0x7C00) == 0x7C00) { // all exponent bits set: infinity or NaN
                            return seg * rowsPerSegment + i / dim;
                        }
                    }
                } else {
                    FloatBuffer f = floats[seg];
                    for (int i = 0, n = f.limit(); i < n; i++) {
                        if (!Float.isFinite(f.get(i))) {
                            return seg * rowsPerSegment + i / dim;
                        }
                    }
                }
            }
            return -1;
        }

        private static float[] halfTable() {
            float[] t = new float[1 << 16];
            for (int h = 0; h < t.length; h++) {
                t[h] = Half.toFloat((short) h);
            }
            return t;
        }
    }
}
