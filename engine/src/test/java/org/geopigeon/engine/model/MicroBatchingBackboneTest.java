package org.geopigeon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The micro-batcher in isolation, around a fake backbone whose output identifies each input image. */
class MicroBatchingBackboneTest {

    static final int S = 2;
    static final int PIXELS = 3 * S * S;

    /**
     * Embeds image i to [first pixel, last pixel, images in this forward pass]; records every batch size and
     * whether two forward passes ever overlapped.
     */
    static final class FakeBackbone implements Backbone {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        volatile long sleepMs;
        volatile RuntimeException failWith;
        volatile CountDownLatch gate;
        volatile boolean closed;

        @Override
        public int inputSize() {
            return S;
        }

        @Override
        public int embeddingDim() {
            return 3;
        }

        @Override
        public float[][] embed(float[] nchw, int n) {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                if (gate != null) {
                    gate.await(10, TimeUnit.SECONDS);
                }
                if (sleepMs > 0) {
                    Thread.sleep(sleepMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            batchSizes.add(n);
            if (failWith != null) {
                throw failWith;
            }
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = new float[] {nchw[i * PIXELS], nchw[i * PIXELS + PIXELS - 1], n};
            }
            return out;
        }

        @Override
        public String device() {
            return "cpu()";
        }

        @Override
        public Precision precision() {
            return Precision.BF16;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** n images whose first pixel is id*100+i and last pixel -(id*100+i). */
    static float[] images(int id, int n) {
        float[] x = new float[n * PIXELS];
        for (int i = 0; i < n; i++) {
            x[i * PIXELS] = id * 100 + i;
            x[i * PIXELS + PIXELS - 1] = -(id * 100 + i);
        }
        return x;
    }

    @Test
    void concurrentCallersEachGetTheirOwnRowsFromSharedForwardPasses() throws Exception {
        FakeBackbone fake = new FakeBackbone();
        fake.sleepMs = 20; // calls pile up while a pass runs
        int callers = 16;
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 8, Duration.ofMillis(50))) {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                for (int c = 0; c < callers; c++) {
                    int id = c;
                    int n = 1 + c % 3;
                    results.add(pool.submit(() -> {
                        start.await();
                        return b.embed(images(id, n), n);
                    }));
                }
                start.countDown();
                for (int c = 0; c < callers; c++) {
                    float[][] rows = results.get(c).get(30, TimeUnit.SECONDS);
                    assertEquals(1 + c % 3, rows.length, "caller " + c + " gets one row per image it sent");
                    for (int i = 0; i < rows.length; i++) {
                        assertEquals(c * 100 + i, rows[i][0], "caller " + c + " image " + i + " (first pixel)");
                        assertEquals(-(c * 100 + i), rows[i][1], "caller " + c + " image " + i + " (last pixel)");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            int total = fake.batchSizes.stream().mapToInt(Integer::intValue).sum();
            int sent = 0;
            for (int c = 0; c < callers; c++) {
                sent += 1 + c % 3;
            }
            assertEquals(sent, total, "every image went through the backbone exactly once");
            assertTrue(fake.batchSizes.stream().allMatch(n -> n <= 8), "no pass exceeds the maximum: " + fake.batchSizes);
            assertTrue(fake.batchSizes.size() < callers, "calls were grouped: " + fake.batchSizes);
            assertEquals(1, fake.maxRunning.get(), "the wrapped backbone never runs two passes at once");
            MicroBatchingBackbone.Stats st = b.stats();
            assertEquals(callers, st.calls());
            assertEquals(fake.batchSizes.size(), st.batches());
            assertEquals(total, st.images());
        }
    }

    @Test
    void aLoneCallRunsWithoutWaitingForCompanyWhenTheWaitIsZero() {
        FakeBackbone fake = new FakeBackbone();
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 8, Duration.ZERO)) {
            float[][] rows = b.embed(images(7, 2), 2);
            assertEquals(700, rows[0][0]);
            assertEquals(701, rows[1][0]);
            assertEquals(List.of(2), fake.batchSizes);
        }
    }

    @Test
    void callsQueuedDuringAPassFormTheNextBatchAndAreNeverSplit() throws Exception {
        FakeBackbone fake = new FakeBackbone();
        fake.gate = new CountDownLatch(1); // hold the first pass until everything is queued
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 4, Duration.ZERO)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<float[][]> first = pool.submit(() -> b.embed(images(1, 1), 1));
                waitUntil(() -> fake.running.get() == 1);
                Future<float[][]> a = pool.submit(() -> b.embed(images(2, 3), 3));
                waitUntil(() -> b.stats().calls() == 2);
                Future<float[][]> c = pool.submit(() -> b.embed(images(3, 2), 2)); // 3 + 2 > 4: next batch
                waitUntil(() -> b.stats().calls() == 3);
                Future<float[][]> big = pool.submit(() -> b.embed(images(4, 6), 6)); // larger than the maximum: alone
                waitUntil(() -> b.stats().calls() == 4);
                fake.gate.countDown();
                assertEquals(100, first.get(10, TimeUnit.SECONDS)[0][0]);
                assertEquals(3, a.get(10, TimeUnit.SECONDS).length);
                assertEquals(301, c.get(10, TimeUnit.SECONDS)[1][0]);
                float[][] bigRows = big.get(10, TimeUnit.SECONDS);
                assertEquals(6, bigRows.length);
                assertEquals(405, bigRows[5][0]);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(1, 3, 2, 6), fake.batchSizes);
        }
    }

    @Test
    void aFailedPassFailsEveryCallInItAndTheBatcherKeepsServing() throws Exception {
        FakeBackbone fake = new FakeBackbone();
        IllegalStateException boom = new IllegalStateException("libtorch: out of memory");
        fake.failWith = boom;
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 8, Duration.ofMillis(200))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<float[][]> x = pool.submit(() -> b.embed(images(1, 1), 1));
                Future<float[][]> y = pool.submit(() -> b.embed(images(2, 1), 1));
                for (Future<float[][]> f : List.of(x, y)) {
                    Exception e = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
                    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
                    assertTrue(e.getCause().getMessage().contains("out of memory"), e.getCause().getMessage());
                    assertSame(boom, e.getCause().getCause());
                }
            } finally {
                pool.shutdownNow();
            }
            fake.failWith = null;
            assertEquals(500, b.embed(images(5, 1), 1)[0][0]);
        }
    }

    @Test
    void badInputIsRejectedBeforeQueueing() {
        FakeBackbone fake = new FakeBackbone();
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 8, Duration.ZERO)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.embed(new float[5], 1));
            assertTrue(e.getMessage().contains("expected 1 images of 3x2x2 = 12 floats, got 5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.embed(new float[0], 0));
            assertEquals(0, b.stats().calls());
            assertTrue(fake.batchSizes.isEmpty());
        }
    }

    @Test
    void closeFailsWaitingCallsRefusesNewOnesAndClosesTheDelegate() throws Exception {
        FakeBackbone fake = new FakeBackbone();
        fake.gate = new CountDownLatch(1);
        MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 1, Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<float[][]> running = pool.submit(() -> b.embed(images(1, 1), 1));
            waitUntil(() -> fake.running.get() == 1);
            Future<float[][]> waiting = pool.submit(() -> b.embed(images(2, 1), 1));
            waitUntil(() -> b.stats().calls() == 2);
            Thread closer = new Thread(b::close);
            closer.start();
            Exception e = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
            fake.gate.countDown(); // the running pass completes normally
            assertEquals(100, running.get(10, TimeUnit.SECONDS)[0][0]);
            closer.join(10_000);
            assertTrue(fake.closed, "the wrapped backbone is closed");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> b.embed(images(3, 1), 1));
            assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatcherThatDoesNotOwnItsBackboneLeavesItOpen() {
        FakeBackbone fake = new FakeBackbone();
        new MicroBatchingBackbone(fake, 4, Duration.ZERO, false).close();
        assertTrue(!fake.closed, "the bundle that owns it closes it");
        new MicroBatchingBackbone(fake, 4, Duration.ZERO).close();
        assertTrue(fake.closed);
    }

    @Test
    void describesTheWrappedBackboneAndChecksItsSettings() {
        FakeBackbone fake = new FakeBackbone();
        try (MicroBatchingBackbone b = new MicroBatchingBackbone(fake, 4, Duration.ofMillis(5))) {
            assertEquals(S, b.inputSize());
            assertEquals(3, b.embeddingDim());
            assertEquals("cpu()", b.device());
            assertEquals(Precision.BF16, b.precision());
            assertEquals(Duration.ofMillis(5), b.maxWait());
            assertArrayEquals(new float[] {0, 0, 1}, b.embed(images(0, 1), 1)[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> new MicroBatchingBackbone(fake, 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatchingBackbone(fake, 4, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatchingBackbone(fake, 4, Duration.ofSeconds(11)));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(1);
        }
    }
}
