package org.geopigeon.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.geopigeon.engine.io.Safetensors;
import org.geopigeon.engine.io.Safetensors.DType;
import org.geopigeon.engine.io.Safetensors.StreamedTensor;
import org.geopigeon.engine.train.Gallery;

/**
 * Reads a gallery file beyond 2^31 values (issue 11: PIGEOTTO's 4.5 million x 1024 embeddings, as
 * {@code geopigeon batch gallery} writes them) and prints the heap it took. The file is generated row by row
 * (random values, random valid coordinates; never in memory), then {@link Gallery#read} maps it and every row is
 * copied out once through {@link Gallery#copyEmbedding}, the way head training and the refinement index builder
 * consume it:
 *
 * <pre>
 * tools/run-bench-main.sh -Xmx256m org.geopigeon.bench.GalleryBenchmark [--rows 2200000] [--dim 1024] [--f32]
 *     [--dir DIR] [--keep]
 * </pre>
 * Prints figures; asserts nothing. The file goes to {@code --dir} (default the system temp dir) and is deleted
 * afterwards unless {@code --keep}. It needs rows x dim x 2 bytes (F16; x 4 with {@code --f32}): check
 * {@code df -h} first. Heap peak is the sum of the heap pools' peaks after the write (peaks reset), so it covers
 * reading and the pass over all rows.
 */
public final class GalleryBenchmark {

    record Options(int rows, int dim, boolean f32, Path dir, boolean keep) {

        static Options parse(String[] args) {
            int rows = 2_200_000;
            int dim = 1024;
            boolean f32 = false;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rows" -> rows = Integer.parseInt(value(args, ++i, a).replace("_", ""));
                    case "--dim" -> dim = Integer.parseInt(value(args, ++i, a));
                    case "--f32" -> f32 = true;
                    case "--dir" -> dir = Path.of(value(args, ++i, a));
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (rows < 1 || dim < 1) {
                throw new IllegalArgumentException("need --rows >= 1 and --dim >= 1");
            }
            return new Options(rows, dim, f32, dir, keep);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private GalleryBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        Files.createDirectories(o.dir());
        Path file = o.dir().resolve("gallery-bench-" + ProcessHandle.current().pid() + ".safetensors");
        long values = (long) o.rows() * o.dim();
        System.out.printf(Locale.ROOT, "gallery %,d rows x %d, %s: %,d values (%.2f x 2^31), heap limit %,d MB%n",
                o.rows(), o.dim(), o.f32() ? "F32" : "F16", values, values / Math.pow(2, 31),
                Runtime.getRuntime().maxMemory() >> 20);
        try {
            long t0 = System.nanoTime();
            write(file, o);
            System.out.printf(Locale.ROOT, "write: %.1f s, file %,d bytes (%.2f GB)%n", (System.nanoTime() - t0) / 1e9,
                    Files.size(file), Files.size(file) / 1e9);

            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long usedBefore = used(heap);

            long r0 = System.nanoTime();
            Gallery g = Gallery.read(file);
            double readS = (System.nanoTime() - r0) / 1e9;
            System.gc();
            long usedAfterRead = used(heap);

            long p0 = System.nanoTime();
            float[] row = new float[g.dim()];
            double checksum = 0;
            for (int r = 0; r < g.size(); r++) {
                g.copyEmbedding(r, row, 0);
                checksum += row[r % g.dim()];
            }
            double passS = (System.nanoTime() - p0) / 1e9;
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "read (map + check every value): %.1f s, %,d rows, mapped %s%n", readS,
                    g.size(), g.mapped());
            System.out.printf(Locale.ROOT, "pass over all rows (copyEmbedding): %.1f s (%.0f rows/s; checksum %.3f)%n",
                    passS, g.size() / passS, checksum);
            System.out.printf(Locale.ROOT, "heap: %.1f MB used before read, %.1f MB after read (coordinates: %.1f MB),"
                            + " peak %.1f MB during read and pass%n", usedBefore / 1e6, usedAfterRead / 1e6,
                    g.size() * 8 / 1e6, peak / 1e6);
        } finally {
            if (o.keep()) {
                System.out.println("kept " + file);
            } else {
                Files.deleteIfExists(file);
            }
        }
    }

    private static long used(List<MemoryPoolMXBean> heap) {
        return heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** The gallery format {@link Gallery#write} and the Spark job write, streamed from a seeded generator. */
    private static void write(Path file, Options o) throws IOException {
        int rows = o.rows();
        int dim = o.dim();
        boolean f16 = !o.f32();
        Map<String, StreamedTensor> t = new LinkedHashMap<>();
        t.put("embeddings", new StreamedTensor(f16 ? DType.F16 : DType.F32, new long[] {rows, dim}, out -> {
            SplittableRandom rnd = new SplittableRandom(11);
            ByteBuffer b = ByteBuffer.allocate(Math.max(1 << 20, dim * 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                if (b.remaining() < dim * (f16 ? 2 : 4)) {
                    drain(out, b);
                }
                for (int j = 0; j < dim; j++) {
                    if (f16) {
                        // random float16 bits with the top exponent bit cleared: finite, |v| < 2 (fast to generate)
                        b.putShort((short) (rnd.nextInt() & 0xBFFF));
                    } else {
                        b.putFloat((float) (rnd.nextDouble() * 2 - 1));
                    }
                }
            }
            drain(out, b);
        }));
        t.put("latlon", new StreamedTensor(DType.F32, new long[] {rows, 2}, out -> {
            SplittableRandom rnd = new SplittableRandom(12);
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                if (b.remaining() < 8) {
                    drain(out, b);
                }
                b.putFloat((float) (rnd.nextDouble() * 170 - 85)).putFloat((float) (rnd.nextDouble() * 360 - 180));
            }
            drain(out, b);
        }));
        Safetensors.writeStreamed(file, t, Map.of("format", Gallery.FORMAT));
    }

    private static void drain(WritableByteChannel out, ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) {
            out.write(b);
        }
        b.clear();
    }
}
