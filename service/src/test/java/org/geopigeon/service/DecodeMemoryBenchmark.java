package org.geopigeon.service;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.DemoData;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.TestImages;
import org.geopigeon.service.testing.ThrowawayPostgis;

/**
 * Measures what the pixel budget does to the heap: N concurrent panorama requests of large JPEGs through
 * {@link AuditedGeolocation} (real decoding, a stand-in model that holds the views for 200 ms, a throwaway
 * PostGIS for the audit rows), then prints the outcomes and the peak heap. Asserts nothing.
 *
 * <p>Run with tools/bench_decode_memory.sh [-Xmx..] REQUESTS MEGAPIXELS_PER_VIEW BUDGET_MEGAPIXELS.
 */
public final class DecodeMemoryBenchmark {

    private DecodeMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        int megapixels = Integer.parseInt(args[1]);
        long budget = Long.parseLong(args[2]) * 1_000_000L;
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3));
        int height = width * 3 / 4;
        List<byte[]> views = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            BufferedImage img = TestImages.scene(width, height, v);
            views.add(TestImages.jpeg(img));
        }
        System.gc();
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("bench_memory");
        GeocellSet cells = DemoData.geocells();
        LoadedModel model = new LoadedModel(DemoData.manifest(), cells, "demo", (v, options, listener) -> {
            try {
                Thread.sleep(200); // the views stay referenced during "inference"
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DemoData.prediction(cells, DemoData.manifest().name(), v.get(0).getRGB(0, 0) & 0xFF,
                    options.topK(), null);
        });
        ServiceLimits limits = new ServiceLimits(new ImageRules(32, 80_000_000L, ImageRules.DEFAULT_MAX_BYTES),
                requests, Duration.ofSeconds(120), budget);
        AuditedGeolocation service = new AuditedGeolocation(() -> model, db.dataSource(), false, limits);
        resetPeaks();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            outcomes.add(pool.submit(() -> {
                List<ImageUpload> panorama = views.stream().map(b -> ImageUpload.of(b, "image/jpeg", null)).toList();
                try {
                    service.locate(new LocateRequest(panorama, "benchmark", 3, false,
                            new RequestContext("bench", null), Map.of("interface", "bench")), StageListener.NONE);
                    return "ACCEPTED";
                } catch (GeolocationException e) {
                    return e.code().name();
                }
            }));
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Future<String> f : outcomes) {
            counts.merge(f.get(10, TimeUnit.MINUTES), 1, Integer::sum);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("requests %d x 4 views of %d x %d (%.1f MP) = %.0f MP asked at once; budget %d MP;"
                        + " max heap %d MB%n", requests, width, height, width * (double) height / 1e6,
                requests * 4 * width * (double) height / 1e6, budget / 1_000_000,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("outcomes %s in %.1f s; peak heap used %d MB%n", counts, seconds, peakHeapMb());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks: an upper bound of the peak heap in use (pools peak at different times). */
    private static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                bytes += p.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }
}
