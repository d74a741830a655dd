package org.geopigeon.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hugging Face safetensors files: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Chosen for model bundles
 * because any toolchain (torch, numpy, Rust, Java) reads it without pickles, and it memory-maps.
 */
public final class Safetensors {

    /** Element types this project stores. */
    public enum DType {
        F32(4), F16(2), I32(4), I64(8), U8(1);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** One tensor: dtype, shape and a little-endian view of its bytes (read-only, possibly memory-mapped). */
    public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

        /** Number of elements, the product of the shape (1 for a scalar). */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** Values as float, widening F16 and integer types. */
        public float[] toFloats() {
            int n = Math.toIntExact(elements());
            float[] out = new float[n];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case F32 -> b.getFloat(i * 4);
                    case F16 -> Half.toFloat(b.getShort(i * 2));
                    case I32 -> b.getInt(i * 4);
                    case I64 -> b.getLong(i * 8);
                    case U8 -> b.get(i) & 0xFF;
                };
            }
            return out;
        }

        /**
         * The values of an integer tensor (I32, I64 or U8) in row-major order.
         *
         * @throws IllegalStateException for a floating-point tensor
         * @throws ArithmeticException when an I64 value or the element count does not fit an int
         */
        public int[] toInts() {
            int n = Math.toIntExact(elements());
            int[] out = new int[n];
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case I32 -> b.getInt(i * 4);
                    case I64 -> Math.toIntExact(b.getLong(i * 8));
                    case U8 -> b.get(i) & 0xFF;
                    default -> throw new IllegalStateException("tensor is " + dtype + ", not an integer type");
                };
            }
            return out;
        }

        /**
         * A float32 tensor of {@code values} in row-major order.
         *
         * @throws IllegalArgumentException when the shape's product is not {@code values.length}
         */
        public static Tensor f32(float[] values, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Tensor(DType.F32, check(values.length, shape), b);
        }

        /**
         * A float16 tensor of {@code values}, each rounded with {@link Half#fromFloat}, row-major.
         *
         * @throws IllegalArgumentException when the shape's product is not {@code values.length}
         */
        public static Tensor f16(float[] values, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; i++) {
                b.putShort(i * 2, Half.fromFloat(values[i]));
            }
            return new Tensor(DType.F16, check(values.length, shape), b);
        }

        /**
         * An int32 tensor of {@code values} in row-major order.
         *
         * @throws IllegalArgumentException when the shape's product is not {@code values.length}
         */
        public static Tensor i32(int[] values, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            return new Tensor(DType.I32, check(values.length, shape), b);
        }

        private static long[] check(int n, long[] shape) {
            long m = 1;
            for (long d : shape) {
                m *= d;
            }
            if (m != n) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + m + " values, got " + n);
            }
            return shape.clone();
        }
    }

    /**
     * Where one tensor lies in a file, without reading it: for tensors too large for one buffer (more than
     * 2 GiB), which callers map in segments themselves.
     *
     * @param dtype      element type
     * @param shape      dimensions
     * @param fileOffset absolute byte offset of the first element in the file
     * @param byteLength bytes of data (elements x dtype size)
     */
    public record TensorInfo(DType dtype, long[] shape, long fileOffset, long byteLength) {
        public TensorInfo {
            shape = shape.clone();
        }

        /** Number of elements, the product of the shape. */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Writes a tensor's raw little-endian bytes to a channel, in order (for {@link #writeStreamed}). */
    @FunctionalInterface
    public interface TensorWriter {
        /** Writes exactly the tensor's bytes (elements x dtype size, little-endian) to {@code out}. */
        void writeTo(java.nio.channels.WritableByteChannel out) throws IOException;
    }

    /**
     * A tensor whose bytes are produced while the file is written, so a file may be far larger than memory.
     *
     * @param dtype  element type
     * @param shape  dimensions; the writer must produce exactly elements x dtype size bytes
     * @param writer produces the bytes
     */
    public record StreamedTensor(DType dtype, long[] shape, TensorWriter writer) {
        public StreamedTensor {
            shape = shape.clone();
        }

        /** A tensor already in memory. */
        public static StreamedTensor of(Tensor t) {
            return new StreamedTensor(t.dtype(), t.shape(), out -> {
                ByteBuffer b = t.data().duplicate();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            });
        }

        long byteLength() {
            long n = dtype.bytes;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Largest tensor {@link #read} maps as one buffer (a Java buffer is indexed by int). */
    public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /**
     * Memory-maps each tensor of the file and returns them by name, in file order.
     *
     * @throws IOException naming the file and tensor when the file is not safetensors, is truncated, or holds a
     *                     tensor over {@link #MAX_BUFFER_BYTES} (use {@link #header} and map such tensors in segments)
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, TensorInfo> infos = header(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> e : infos.entrySet()) {
                TensorInfo t = e.getValue();
                if (t.byteLength() > MAX_BUFFER_BYTES) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' holds " + t.byteLength()
                            + " bytes, more than one buffer can map (2 GiB); read it in segments");
                }
                ByteBuffer slice = t.byteLength() == 0 ? ByteBuffer.allocate(0)
                        : ch.map(FileChannel.MapMode.READ_ONLY, t.fileOffset(), t.byteLength());
                out.put(e.getKey(), new Tensor(t.dtype(), t.shape(),
                        slice.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN)));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * Reads only the header: each tensor's dtype, shape and absolute byte range, in file order. Checks that
     * every range lies inside the file and matches its shape, so callers can map ranges without further checks.
     */
    public static Map<String, TensorInfo> header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": not a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLen + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            while (hb.hasRemaining() && ch.read(hb, 8 + hb.position()) > 0) {
                // FileChannel may return fewer bytes than asked
            }
            JsonNode header;
            try {
                header = MAPPER.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": safetensors header is not valid JSON", e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, TensorInfo> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), info(file, e.getKey(), e.getValue(), dataStart, dataLen));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** The optional string metadata of a file. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > ch.size()) {
                throw new IOException(file + ": not a safetensors file");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonNode meta = MAPPER.readTree(new String(hb.array(), StandardCharsets.UTF_8)).path("__metadata__");
            Map<String, String> out = new LinkedHashMap<>();
            meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }
    }

    private static TensorInfo info(Path file, String name, JsonNode spec, long dataStart, long dataLen) throws IOException {
        DType dtype;
        try {
            dtype = DType.valueOf(spec.path("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": tensor '" + name + "' has unsupported dtype " + spec.path("dtype"));
        }
        JsonNode shapeNode = spec.path("shape");
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(file + ": tensor '" + name + "' has a negative or non-numeric dimension " + shapeNode);
            }
            try {
                n = Math.multiplyExact(n, shape[i]);
            } catch (ArithmeticException e) {
                throw new IOException(file + ": tensor '" + name + "' has an impossible shape " + shapeNode);
            }
        }
        JsonNode off = spec.path("data_offsets");
        long begin = off.path(0).asLong(-1);
        long end = off.path(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen || n > Long.MAX_VALUE / dtype.bytes || end - begin != n * dtype.bytes) {
            throw new IOException(file + ": tensor '" + name + "' has inconsistent offsets [" + begin + ", " + end
                    + ") for shape " + Arrays.toString(shape) + " " + dtype + " (file data is " + dataLen + " bytes; truncated?)");
        }
        return new TensorInfo(dtype, shape, dataStart + begin, end - begin);
    }

    /** Writes tensors atomically (temporary file + rename). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, StreamedTensor> streamed = new LinkedHashMap<>();
        tensors.forEach((name, t) -> streamed.put(name, StreamedTensor.of(t)));
        writeStreamed(file, streamed, metadata);
    }

    /**
     * Writes tensors whose bytes are produced during the write (files larger than memory), atomically
     * (temporary file + rename). Each writer must produce exactly its shape's bytes, else nothing is written.
     */
    public static void writeStreamed(Path file, Map<String, StreamedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, StreamedTensor> e : tensors.entrySet()) {
            StreamedTensor t = e.getValue();
            ObjectNode spec = header.putObject(e.getKey());
            spec.put("dtype", t.dtype().name());
            var shape = spec.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long len = t.byteLength();
            spec.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] hb = MAPPER.writeValueAsBytes(header);
        int pad = (8 - hb.length % 8) % 8; // keep data 8-byte aligned, as the reference writer does
        byte[] headerBytes = Arrays.copyOf(hb, hb.length + pad);
        Arrays.fill(headerBytes, hb.length, headerBytes.length, (byte) ' ');
        AtomicFiles.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerBytes.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(headerBytes));
                for (Map.Entry<String, StreamedTensor> e : tensors.entrySet()) {
                    long before = ch.position();
                    e.getValue().writer().writeTo(ch);
                    long wrote = ch.position() - before;
                    if (wrote != e.getValue().byteLength()) {
                        throw new IOException(file + ": tensor '" + e.getKey() + "' produced " + wrote + " bytes, its shape "
                                + Arrays.toString(e.getValue().shape()) + " needs " + e.getValue().byteLength());
                    }
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
