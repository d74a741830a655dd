package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.model.ComputeTarget;
import org.geopigeon.engine.model.MicroBatchingBackbone;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's model holder on the real demo bundle (fp32 with bf16 and int8 variants): the configured precision,
 * other precisions per request (loaded once, shared, refused when the bundle or the machine lacks them or the
 * operator forbids them) and micro-batching of concurrent requests.
 */
class ModelHolderTest {

    private static final Path DEMO = BundleLocator.resolve(null);

    @BeforeAll
    static void cpuOnly() throws Exception {
        assumeFalse(ComputeTarget.detect().gpu(), "the expectations below are those of a CPU (int8 yes, fp16 no)");
    }

    private static List<BufferedImage> view(int seed) {
        return List.of(TestImages.scene(320, 240, seed));
    }

    @Test
    void anotherPrecisionIsLoadedOnceOnTheFirstRequestThatAsksAndSharedAfterwards() {
        try (ModelHolder h = new ModelHolder(DEMO, ModelSettings.DEFAULT.withPrecision(PrecisionChoice.FP32))) {
            LoadedModel own = h.get();
            assertEquals(Precision.FP32, own.precision());
            assertEquals("requested", own.precisionReason());
            assertSame(own, h.get(null));
            assertSame(own, h.get(PrecisionChoice.AUTO), "auto means the server's own model");
            assertSame(own, h.get(PrecisionChoice.FP32));

            LoadedModel int8 = h.get(PrecisionChoice.INT8);
            assertEquals(Precision.INT8, int8.precision());
            assertSame(int8, h.get(PrecisionChoice.INT8), "one model per precision, shared");
            Prediction p = int8.geolocator().locate(view(1), LocateOptions.defaults(), StageListener.NONE);
            assertEquals(Precision.INT8, p.precision(), "the prediction says what ran");
            assertEquals(Precision.FP32, own.geolocator().locate(view(1), LocateOptions.defaults(),
                    StageListener.NONE).precision());
            assertEquals(EnumSet.of(Precision.FP32, Precision.BF16, Precision.INT8), h.precisions());

            PrecisionUnavailableException e = assertThrows(PrecisionUnavailableException.class,
                    () -> h.get(PrecisionChoice.FP16));
            assertTrue(e.getMessage().contains("fp16") && e.getMessage().contains("GPU")
                    && e.getMessage().contains("answers in fp32"), e.getMessage());
        }
    }

    @Test
    void anOperatorMayAllowOnlyTheServersOwnPrecision() {
        ModelSettings fixed = ModelSettings.DEFAULT.withPrecision(PrecisionChoice.BF16).withPerRequest(false);
        try (ModelHolder h = new ModelHolder(DEMO, fixed)) {
            assertEquals(Precision.BF16, h.get(PrecisionChoice.BF16).precision());
            PrecisionUnavailableException e = assertThrows(PrecisionUnavailableException.class,
                    () -> h.get(PrecisionChoice.FP32));
            assertTrue(e.getMessage().contains("bf16 only") && e.getMessage().contains("operator"), e.getMessage());
            assertEquals(EnumSet.of(Precision.BF16), h.precisions());
        }
    }

    @Test
    void aPrecisionTheBundleHasNoVariantForIsRefusedNamingWhatExists() throws Exception {
        Path bundle = java.nio.file.Files.createTempDirectory("no-variants");
        try {
            for (String f : List.of("backbone.pt", "head.safetensors", "geocells.geojson", "refinement.safetensors")) {
                java.nio.file.Files.copy(DEMO.resolve(f), bundle.resolve(f));
            }
            String manifest = java.nio.file.Files.readString(DEMO.resolve("manifest.json"))
                    .replaceAll("\"variants\"\\s*:\\s*\\{[^}]*}", "\"variants\": {}");
            java.nio.file.Files.writeString(bundle.resolve("manifest.json"), manifest);
            try (ModelHolder h = new ModelHolder(bundle, ModelSettings.DEFAULT)) {
                assertEquals(Precision.FP32, h.get().precision(), "auto without a bf16 variant is fp32");
                PrecisionUnavailableException e = assertThrows(PrecisionUnavailableException.class,
                        () -> h.get(PrecisionChoice.INT8));
                assertTrue(e.getMessage().contains("no int8 backbone variant"), e.getMessage());
            }
        } finally {
            try (var files = java.nio.file.Files.list(bundle)) {
                for (Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(bundle);
        }
    }

    @Test
    void microBatchingGroupsConcurrentRequestsAndEachGetsExactlyItsOwnAnswer() throws Exception {
        int n = 4;
        List<Prediction> alone = new ArrayList<>();
        try (ModelHolder plain = new ModelHolder(DEMO, ModelSettings.DEFAULT.withPrecision(PrecisionChoice.FP32))) {
            for (int i = 0; i < n; i++) {
                alone.add(plain.get().geolocator().locate(view(i), LocateOptions.defaults(), StageListener.NONE));
            }
            assertNull(plain.microBatchStats(), "off by default");
        }
        ModelSettings batching = ModelSettings.DEFAULT.withPrecision(PrecisionChoice.FP32)
                .withMicroBatch(n, Duration.ofMillis(2000));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (ModelHolder h = new ModelHolder(DEMO, batching)) {
            LoadedModel m = h.get();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Prediction>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int seed = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return m.geolocator().locate(view(seed), LocateOptions.defaults(), StageListener.NONE);
                }));
            }
            start.countDown();
            for (int i = 0; i < n; i++) {
                Prediction b = answers.get(i).get();
                Prediction a = alone.get(i);
                assertEquals(a.topCells().get(0).cell().id(), b.topCells().get(0).cell().id(), "request " + i);
                assertEquals(a.location().lat(), b.location().lat(), 1e-6, "request " + i);
                assertEquals(a.location().lon(), b.location().lon(), 1e-6, "request " + i);
                assertEquals(a.confidence(), b.confidence(), 1e-6, "request " + i);
            }
            MicroBatchingBackbone.Stats stats = h.microBatchStats();
            assertEquals(n, stats.calls());
            assertEquals(n, stats.images());
            assertTrue(stats.batches() < n, "concurrent requests shared forward passes: " + stats);
        } finally {
            pool.shutdownNow();
        }
    }
}
