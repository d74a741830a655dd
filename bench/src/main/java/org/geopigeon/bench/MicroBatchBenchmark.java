package org.geopigeon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.MicroBatchingBackbone;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.TorchScriptBackbone;

/**
 * Engine-level concurrent benchmark of {@link MicroBatchingBackbone}: K client threads each embed single
 * images back to back, first straight on the backbone (every call its own forward pass, passes running
 * side by side), then through the micro-batcher; prints throughput and p50/p95 latency per K. Asserts
 * nothing. The same batcher in the HTTP service is measured by tools/bench_service.sh (app ServiceBenchmark).
 *
 * <pre>
 * tools/run-bench-main.sh org.geopigeon.bench.MicroBatchBenchmark
 *     [--backbone sample-data/demo-bundle/backbone.pt] [--size 224] [--precision fp32] [--clients 1,4,16]
 *     [--requests 24] [--max-batch 8] [--max-wait-ms 0,10] [--threads N]
 * </pre>
 * {@code --requests} is per client. On the full-size backbone use few requests (a CPU pass takes seconds).
 */
public final class MicroBatchBenchmark {

    private MicroBatchBenchmark() {
    }

    /**
     * For each number of concurrent clients ({@code --clients}, default 1,4,16) prints throughput and p50/p95 latency
     * with calls side by side and through the micro-batcher; options as the class comment describes.
     */
    public static void main(String[] args) throws Exception {
        Path backbone = Path.of("sample-data", "demo-bundle", "backbone.pt");
        int size = 224;
        Precision precision = null;
        int[] clients = {1, 4, 16};
        int requests = 24;
        int maxBatch = 8;
        long[] maxWaitMs = {0, 10};
        Integer threads = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--backbone" -> backbone = Path.of(need(v, a));
                case "--size" -> size = Integer.parseInt(need(v, a));
                case "--precision" -> precision = Precision.parse(need(v, a));
                case "--clients" -> clients = Arrays.stream(need(v, a).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--requests" -> requests = Integer.parseInt(need(v, a));
                case "--max-batch" -> maxBatch = Integer.parseInt(need(v, a));
                case "--max-wait-ms" -> maxWaitMs = Arrays.stream(need(v, a).split(",")).mapToLong(Long::parseLong).toArray();
                case "--threads" -> threads = Integer.parseInt(need(v, a));
                default -> {
                    System.err.println("MicroBatchBenchmark: unknown option " + a);
                    System.exit(2);
                    return;
                }
            }
            i++;
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        System.setProperty("ai.djl.offline", "true");
        try (TorchScriptBackbone b = TorchScriptBackbone.load(backbone, size, precision)) {
            System.out.printf(Locale.ROOT, "backbone %s (%s on %s), %d requests of 1 image per client, micro-batch max %d"
                    + " images, max wait %s ms; load average %s%n", backbone, b.precision(), b.device(), requests, maxBatch,
                    Arrays.toString(maxWaitMs), RefinementIndexBenchmark.loadAverage());
            float[] image = new float[3 * size * size];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) r.nextDouble(-2, 2);
            }
            for (int i = 0; i < 3; i++) {
                b.embed(image, 1); // warm-up, outside the timings
                b.embed(concat(image, maxBatch), maxBatch);
            }
            System.out.printf(Locale.ROOT, "%-8s %-16s %12s %10s %10s %14s%n", "clients", "mode", "images/s", "p50 ms",
                    "p95 ms", "images/call");
            for (int k : clients) {
                run("direct", b, null, k, requests, image);
                for (long wait : maxWaitMs) {
                    MicroBatchingBackbone batcher = new MicroBatchingBackbone(b, maxBatch, Duration.ofMillis(wait), false);
                    try {
                        run("batched " + wait + " ms", batcher, batcher, k, requests, image);
                    } finally {
                        batcher.close();
                    }
                }
            }
            System.out.println("load average after run: " + RefinementIndexBenchmark.loadAverage());
        }
    }

    private static void run(String mode, Backbone b, MicroBatchingBackbone batcher, int clients, int requests,
                            float[] image) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    double[] ms = new double[requests];
                    for (int i = 0; i < requests; i++) {
                        long t0 = System.nanoTime();
                        b.embed(image, 1);
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    return ms;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            double[] all = new double[clients * requests];
            for (int c = 0; c < clients; c++) {
                System.arraycopy(futures.get(c).get(), 0, all, c * requests, requests);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(all);
            String perPass = batcher == null ? "1.00" : String.format(Locale.ROOT, "%.2f", batcher.stats().meanBatchImages());
            System.out.printf(Locale.ROOT, "%-8d %-16s %12.2f %10.1f %10.1f %14s%n", clients, mode, all.length / seconds,
                    RefinementIndexBenchmark.pct(all, 50), RefinementIndexBenchmark.pct(all, 95), perPass);
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] concat(float[] image, int n) {
        float[] out = new float[image.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(image, 0, out, i * image.length, image.length);
        }
        return out;
    }

    private static String need(String v, String option) {
        if (v == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return v;
    }
}
