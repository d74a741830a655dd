package org.geopigeon.app.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.engine.model.MicroBatchingBackbone;
import org.geopigeon.service.ModelSettings;

/**
 * The service's closing numbers (run by tools/bench_service.sh; prints, asserts nothing):
 * <ol>
 *   <li>synchronous executions of geolocate (one 320x240 JPEG, default store, results document) at 1, 4 and 16
 *       concurrent clients: requests/s and latency percentiles, first with micro-batching off (2 inference slots,
 *       each request runs its own backbone passes), then on the same bundle, database and JVM with micro-batching on
 *       (max batch and wait from the arguments; inference slots = max batch, as {@code serve --micro-batch} sets
 *       them), with the mean images per backbone pass;</li>
 *   <li>16 clients uploading a 25 MB JPEG at once: peak heap, direct buffers and resident memory of the JVM
 *       (server and clients; the clients stream their bodies from a file, so they hold none); skipped with
 *       {@code --no-uploads}.</li>
 * </ol>
 * Arguments: {@code [SECONDS_PER_LEVEL (20)] [MICRO_BATCH (8)] [WAIT_MS (5)] [--no-uploads]}. The service runs in
 * this JVM with the demo bundle on a throwaway PostGIS, as in the tests.
 */
public final class ServiceBenchmark {

    private ServiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean uploads = !a.remove("--no-uploads");
        int seconds = a.size() > 0 ? Integer.parseInt(a.get(0)) : 20;
        int batch = a.size() > 1 ? Integer.parseInt(a.get(1)) : 8;
        int waitMs = a.size() > 2 ? Integer.parseInt(a.get(2)) : 5;
        try (RunningService svc = RunningService.start("bench")) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String token = svc.token(Role.ANALYST);
            ObjectNode req = RunningService.geolocate("service benchmark", RunningService.jpeg(1));
            req.put("response", "document");
            byte[] body = RunningService.bytes(req);
            System.out.printf("GeoPigeon service benchmark: %d cores, max heap %d MiB, model %s, backbone %s on %s,"
                            + " load average %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, svc.bundle.manifest().name(),
                    svc.bundle.backbone().precision(), svc.bundle.backbone().device(), loadAverage());
            System.out.println("sync execution (320x240 JPEG, store on, document response), " + seconds + " s each:");
            System.out.println("micro-batching  slots  clients  requests  errors  req/s   p50 ms  p95 ms  p99 ms"
                    + "  images/pass");
            int slots = RunningService.settings().maxConcurrent();
            levels(http, svc.server, token, body, seconds, "off", slots);
            ServerSettings on = RunningService.settings().toBuilder().maxConcurrent(Math.max(slots, batch)).build();
            ModelSettings batching = ModelSettings.DEFAULT.withMicroBatch(batch, Duration.ofMillis(waitMs));
            try (GeoPigeonServer server = RunningService.start(on, svc.bundle, batching, svc.db.dataSource())) {
                levels(http, server, token, body, seconds, "on " + batch + "/" + waitMs + "ms", on.maxConcurrent());
            }
            System.out.println("load average after: " + loadAverage());
            if (uploads) {
                uploads(http, svc, token);
            }
        }
    }

    private static void levels(HttpClient http, GeoPigeonServer server, String token, byte[] body, int seconds,
                               String mode, int slots) throws Exception {
        run(http, server, token, body, 2, 5, null); // warm-up
        for (int clients : new int[] {1, 4, 16}) {
            MicroBatchingBackbone.Stats before = server.models().microBatchStats();
            String prefix = String.format("%-14s  %5d", mode, slots);
            run(http, server, token, body, clients, seconds, prefix);
            MicroBatchingBackbone.Stats after = server.models().microBatchStats();
            if (after == null) {
                System.out.println("            1");
            } else {
                long passes = after.batches() - before.batches();
                long images = after.images() - before.images();
                System.out.printf("  %11.2f%n", passes == 0 ? 0 : (double) images / passes);
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** @param prefix printed before the figures (without a line end), or null for a silent warm-up */
    private static void run(HttpClient http, GeoPigeonServer server, String token, byte[] body, int clients,
                            int seconds, String prefix) throws Exception {
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        java.net.URI uri = server.uri().resolve("processes/geolocate/execution");
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(120))
                                .build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    ms.add((System.nanoTime() - s) / 1e6);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        if (prefix == null) {
            return;
        }
        System.out.printf("%s  %7d  %8d  %6d  %5.1f  %6.0f  %6.0f  %6.0f", prefix, clients, sorted.size(),
                errors.get(), sorted.size() / wall, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99));
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    }

    /** 16 clients each sending a 25 MB JPEG (as base64 JSON) at once; memory sampled every 10 ms. */
    private static void uploads(HttpClient http, RunningService svc, String token) throws Exception {
        byte[] jpeg = noiseJpeg(25_000_000);
        Path file = Files.createTempFile("geopigeon-bench-upload", ".json");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("{\"inputs\":{\"image\":{\"value\":\"").getBytes(StandardCharsets.US_ASCII));
            out.write(Base64.getEncoder().encode(jpeg));
            out.write(("\",\"mediaType\":\"image/jpeg\"},\"purpose\":\"memory benchmark\",\"store\":false},"
                    + "\"response\":\"document\"}").getBytes(StandardCharsets.US_ASCII));
        }
        System.gc();
        Thread.sleep(500);
        long heap0 = used();
        long direct0 = direct();
        long rss0 = rssKb();
        AtomicLong heapPeak = new AtomicLong(heap0);
        AtomicLong directPeak = new AtomicLong(direct0);
        AtomicLong bufferedPeak = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                heapPeak.accumulateAndGet(used(), Math::max);
                directPeak.accumulateAndGet(direct(), Math::max);
                bufferedPeak.accumulateAndGet(svc.server.bufferedBytes(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            fs.add(pool.submit(() -> http.send(HttpRequest.newBuilder(svc.uri("/processes/geolocate/execution"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).timeout(Duration.ofSeconds(600)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : fs) {
            statuses.add(f.get());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        sampling.set(false);
        sampler.join();
        pool.shutdown();
        long hwm = hwmKb();
        System.out.printf("16 concurrent uploads of a %.1f MB JPEG (%.1f MB base64 JSON each): statuses %s, %.1f s%n",
                jpeg.length / 1e6, Files.size(file) / 1e6, statuses, wall);
        System.out.printf("  peak request bodies held by the server: %.0f MiB (budget %d MiB)%n",
                bufferedPeak.get() / 1048576.0, RunningService.settings().maxBufferedBytes() >> 20);
        System.out.printf("  peak heap used: %.0f MiB (%.0f MiB above the idle server)%n", heapPeak.get() / 1048576.0,
                (heapPeak.get() - heap0) / 1048576.0);
        System.out.printf("  peak direct buffers: %.0f MiB (%.0f MiB above idle)%n", directPeak.get() / 1048576.0,
                (directPeak.get() - direct0) / 1048576.0);
        System.out.printf("  resident memory: %.0f MiB before, peak (VmHWM) %.0f MiB%n", rss0 / 1024.0, hwm / 1024.0);
        Files.deleteIfExists(file);
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return 0;
    }

    private static long rssKb() throws Exception {
        return status("VmRSS:");
    }

    private static long hwmKb() throws Exception {
        return status("VmHWM:");
    }

    private static long status(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    /** A JPEG of random noise of about {@code bytes} bytes (quality 1.0): the worst case for the decoder. */
    static byte[] noiseJpeg(int bytes) throws Exception {
        int side = (int) Math.sqrt(bytes / 3.0);
        while (true) {
            BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            Random r = new Random(7);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    img.setRGB(x, y, r.nextInt(0x1000000));
                }
            }
            ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1.0f);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.setOutput(ImageIO.createImageOutputStream(out));
            w.write(null, new IIOImage(img, null, null), p);
            w.dispose();
            if (out.size() >= bytes * 0.95 && out.size() <= 26_000_000) {
                return out.toByteArray();
            }
            side = (int) (side * Math.sqrt((double) bytes / out.size()));
        }
    }
}
