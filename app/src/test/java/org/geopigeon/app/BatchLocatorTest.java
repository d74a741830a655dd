package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link BatchLocator} groups files into backbone passes, against the demo bundle (batchSize 8). */
class BatchLocatorTest {

    private static final Path BUNDLE = Path.of("../sample-data/demo-bundle");

    private static ModelBundle bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws BundleException {
        Assumptions.assumeTrue(Files.isRegularFile(BUNDLE.resolve("manifest.json")), "demo bundle not built yet");
        bundle = ModelBundle.load(BUNDLE);
        assertEquals(8, bundle.manifest().defaults().batchSize(), "these tests assume the demo bundle's batch size");
    }

    @AfterAll
    static void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void runsUpToEightFilesPerBackbonePassAndSkipsTheBadOne() throws IOException {
        List<Path> files = images(11);
        Files.writeString(files.get(3), "not an image");
        RecordingBackbone backbone = new RecordingBackbone(bundle.backbone(), n -> false);
        Collected results = new Collected();

        new BatchLocator(geolocator(backbone), LocateOptions.defaults(), 1).locateAll(files, results);

        assertEquals(List.of(7, 3), backbone.batchSizes, "files 0-7 minus the bad one, then files 8-10");
        List<Path> good = new ArrayList<>(files);
        good.remove(3);
        assertEquals(good, results.located, "input order");
        assertEquals(List.of(files.get(3)), results.failed);
        assertInstanceOf(ImageRejectedException.class, results.causes.get(0));
    }

    @Test
    void putsTwoPanoramasInOneBackbonePass() throws IOException {
        List<Path> files = images(8);
        RecordingBackbone backbone = new RecordingBackbone(bundle.backbone(), n -> false);
        Collected results = new Collected();

        new BatchLocator(geolocator(backbone), LocateOptions.defaults(), Geolocator.PANORAMA_VIEWS)
                .locateAll(files, results);

        assertEquals(List.of(8), backbone.batchSizes);
        assertEquals(List.of(files.get(0), files.get(4)), results.located, "first view of each panorama");
    }

    @Test
    void aFailedBatchIsRetriedOneRequestAtATime() throws IOException {
        List<Path> files = images(3);
        // A backbone that cannot take batches: every request must still be located, alone.
        RecordingBackbone backbone = new RecordingBackbone(bundle.backbone(), n -> n > 1);
        Collected results = new Collected();

        new BatchLocator(geolocator(backbone), LocateOptions.defaults(), 1).locateAll(files, results);

        assertEquals(List.of(3, 1, 1, 1), backbone.batchSizes);
        assertEquals(files, results.located);
        assertTrue(results.failed.isEmpty(), results.causes.toString());
    }

    @Test
    void decodesTheNextBatchWhileTheBackboneRunsTheCurrentOne() throws Exception {
        List<Path> files = images(16);
        CountDownLatch secondBatchDecoded = new CountDownLatch(8);
        List<Boolean> overlapped = new ArrayList<>();
        ImageDecoder real = new ImageDecoder();
        java.util.function.Function<Path, DecodedImage> decode = f -> {
            DecodedImage d = real.decode(f);
            if (files.indexOf(f) >= 8) {
                secondBatchDecoded.countDown();
            }
            return d;
        };
        // The first pass waits until the decode threads have finished all of batch 2: that only happens
        // when decoding runs alongside the backbone (sequentially, batch 2 would start after this pass).
        RecordingBackbone backbone = new RecordingBackbone(bundle.backbone(), n -> false) {
            @Override
            public float[][] embed(float[] nchw, int n) {
                if (batchSizes.isEmpty()) {
                    try {
                        overlapped.add(secondBatchDecoded.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.embed(nchw, n);
            }
        };
        Collected results = new Collected();

        BatchLocator.Stats stats = new BatchLocator(geolocator(backbone), LocateOptions.defaults(), 1, 2, decode)
                .locateAll(files, results);

        assertEquals(List.of(true), overlapped, "batch 2 was decoded during the first backbone pass");
        assertEquals(List.of(8, 8), backbone.batchSizes);
        assertEquals(files, results.located);
        assertEquals(16, stats.requests());
        assertEquals(2, stats.decodeThreads());
        assertTrue(stats.decodeMs() > 0 && stats.preprocessMs() > 0 && stats.backboneMs() > 0, stats.toString());
        assertTrue(stats.summary("images").startsWith("16 images in "), stats.summary("images"));
        assertTrue(stats.summary("images").contains("on 2 decode threads, overlapped with backbone"), stats.summary("images"));
    }

    @Test
    void refusesZeroDecodeThreads() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BatchLocator(geolocator(bundle.backbone()), LocateOptions.defaults(), 1, 0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    private static Geolocator geolocator(Backbone backbone) {
        return new Geolocator(bundle.manifest(), backbone, bundle.head(), bundle.geocells(),
                bundle.refinement().orElse(null));
    }

    private List<Path> images(int count) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Random r = new Random(i);
            BufferedImage img = new BufferedImage(64 + i, 48, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(0x1000000));
                }
            }
            Path f = dir.resolve("img" + i + ".png");
            assertTrue(ImageIO.write(img, "png", f.toFile()));
            files.add(f);
        }
        return files;
    }

    /** Collects what BatchLocator reports; a request is named by its first file. */
    private static final class Collected implements BatchLocator.Results {
        final List<Path> located = new ArrayList<>();
        final List<Path> failed = new ArrayList<>();
        final List<RuntimeException> causes = new ArrayList<>();

        @Override
        public void located(List<Path> files, Prediction prediction) {
            assertTrue(prediction.timings().decodeMs() > 0, "decode time attached");
            located.add(files.get(0));
        }

        @Override
        public void failed(List<Path> files, RuntimeException cause) {
            failed.add(files.get(0));
            causes.add(cause);
        }
    }

    /** The real backbone, recording each pass's batch size; refuses the batch sizes {@code refuse} matches. */
    private static class RecordingBackbone implements Backbone {
        final List<Integer> batchSizes = new ArrayList<>();
        private final Backbone real;
        private final IntPredicate refuse;

        RecordingBackbone(Backbone real, IntPredicate refuse) {
            this.real = real;
            this.refuse = refuse;
        }

        @Override
        public int inputSize() {
            return real.inputSize();
        }

        @Override
        public int embeddingDim() {
            return real.embeddingDim();
        }

        @Override
        public float[][] embed(float[] nchw, int n) {
            batchSizes.add(n);
            if (refuse.test(n)) {
                throw new IllegalStateException("out of memory for a batch of " + n);
            }
            return real.embed(nchw, n);
        }

        @Override
        public String device() {
            return real.device();
        }

        @Override
        public void close() {
            // the bundle owns the real backbone
        }
    }
}
