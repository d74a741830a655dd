package org.geopigeon.engine.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Backbone} decorator that groups concurrent {@link #embed} calls into one forward pass of the
 * wrapped backbone: a service answering many single-image requests gets the throughput of batched
 * inference, and each caller still receives exactly its own rows.
 *
 * <p>How a batch forms: one dispatcher thread takes the oldest waiting call, then keeps adding calls in
 * arrival order until the batch holds {@code maxBatch} images or {@code maxWait} has passed since that
 * oldest call arrived. A call that would push the batch over {@code maxBatch} waits for the next batch
 * (calls are never split); a single call larger than {@code maxBatch} runs alone. The wrapped backbone
 * is only ever called from the dispatcher thread, so forward passes never compete for the cores
 * (libtorch already uses all intra-op threads for one pass). While a pass runs, new calls queue up and
 * form the next batch, so under load batches fill without waiting.
 *
 * <p>Written here rather than taken from a library: DJL Serving's batching lives in its model server
 * (not a library one can wrap around a Predictor), and nothing else on Maven Central batches tensors.
 *
 * <p>Thread-safe. {@link #close()} refuses new calls, fails the waiting ones with an
 * {@link IllegalStateException}, stops the dispatcher and closes the wrapped backbone when it owns it.
 *
 * <p>Wiring into a service (issue 10): {@code new Geolocator(bundle.manifest(), new MicroBatchingBackbone(
 * bundle.backbone(), 8, Duration.ofMillis(5), false), bundle.head(), bundle.geocells(), bundle.refinement().orElse(null))};
 * close the batcher before the bundle. On the CPU a forward pass takes one image anyway (TorchScriptBackbone), so
 * there the batcher serialises passes and bounds memory; the throughput gain is expected on GPUs.
 */
public final class MicroBatchingBackbone implements Backbone {

    /** Counters since construction, for benchmarks and health pages. */
    public record Stats(long calls, long batches, long images) {

        /** Mean images per forward pass (0 before the first). */
        public double meanBatchImages() {
            return batches == 0 ? 0 : (double) images / batches;
        }
    }

    private final Backbone delegate;
    private final boolean ownsDelegate;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int imageLength;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private volatile boolean closed;

    /**
     * A batcher that owns (and on close, closes) its delegate.
     *
     * @param delegate the backbone doing the work
     * @param maxBatch most images per forward pass, at least 1
     * @param maxWait  longest a call waits for others to join it, from 0 (no waiting: batch what is queued)
     *                 to 10 s
     */
    public MicroBatchingBackbone(Backbone delegate, int maxBatch, Duration maxWait) {
        this(delegate, maxBatch, maxWait, true);
    }

    /**
     * @param ownsDelegate false when someone else closes the delegate (e.g. the {@code ModelBundle} it came from)
     */
    public MicroBatchingBackbone(Backbone delegate, int maxBatch, Duration maxWait, boolean ownsDelegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.ownsDelegate = ownsDelegate;
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("micro-batch size must be at least 1, got " + maxBatch);
        }
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("micro-batch wait must be between 0 and 10 s, got " + maxWait.toMillis() + " ms");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.imageLength = 3 * delegate.inputSize() * delegate.inputSize();
        this.dispatcher = new Thread(this::dispatch, "geopigeon-micro-batcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** Most images in one forward pass. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Longest time the first call of a batch waits for company before the pass starts. */
    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** Calls, forward passes and images since construction (a consistent-enough snapshot of three counters). */
    public Stats stats() {
        return new Stats(calls.get(), batches.get(), images.get());
    }

    @Override
    public int inputSize() {
        return delegate.inputSize();
    }

    @Override
    public int embeddingDim() {
        return delegate.embeddingDim();
    }

    @Override
    public String device() {
        return delegate.device();
    }

    @Override
    public Precision precision() {
        return delegate.precision();
    }

    /**
     * Queues the images and blocks until the forward pass that includes them has run.
     *
     * @return [n][D], the rows of exactly these images
     * @throws IllegalArgumentException when {@code nchw} does not hold n images (checked before queueing)
     * @throws IllegalStateException    when the batcher is closed, or the forward pass failed (the cause is
     *                                  the wrapped backbone's exception; every call in that batch gets it)
     * @throws CancellationException    when the calling thread is interrupted while waiting (its interrupt
     *                                  flag stays set)
     */
    @Override
    public float[][] embed(float[] nchw, int n) {
        Objects.requireNonNull(nchw, "nchw");
        if (n < 1 || nchw.length != (long) n * imageLength) {
            int s = delegate.inputSize();
            throw new IllegalArgumentException("expected " + n + " images of 3x" + s + "x" + s + " = "
                    + (long) n * imageLength + " floats, got " + nchw.length);
        }
        if (closed) {
            throw new IllegalStateException("the micro-batching backbone is closed");
        }
        Call call = new Call(nchw, n, System.nanoTime());
        calls.incrementAndGet();
        queue.add(call);
        if (closed) {
            failWaiting(); // close() may have drained the queue just before our add
        }
        try {
            return call.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.remove(call);
            call.result.cancel(false);
            throw new CancellationException("interrupted while waiting for the backbone");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ClosedException) {
                throw new IllegalStateException(c.getMessage());
            }
            throw new IllegalStateException("backbone forward pass failed: " + (c == null ? e : c.getMessage()), c);
        }
    }

    private void dispatch() {
        Call carried = null;
        while (!closed) {
            Call first;
            try {
                first = carried != null ? carried : queue.take();
            } catch (InterruptedException e) {
                break; // close()
            }
            carried = null;
            if (first.result.isDone()) {
                continue; // cancelled by an interrupted caller
            }
            List<Call> batch = new ArrayList<>();
            batch.add(first);
            int count = first.n;
            long deadline = first.arrivalNanos + maxWaitNanos;
            while (count < maxBatch) {
                Call next;
                try {
                    long left = deadline - System.nanoTime();
                    next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                } catch (InterruptedException e) {
                    fail(batch, closedError());
                    return;
                }
                if (next == null) {
                    break;
                }
                if (next.result.isDone()) {
                    continue;
                }
                if (count + next.n > maxBatch) {
                    carried = next; // first in line for the next batch
                    break;
                }
                batch.add(next);
                count += next.n;
            }
            run(batch, count);
        }
        if (carried != null) {
            carried.result.completeExceptionally(closedError());
        }
        failWaiting();
    }

    private void run(List<Call> batch, int count) {
        float[] input;
        if (batch.size() == 1) {
            input = batch.get(0).nchw;
        } else {
            input = new float[count * imageLength];
            int at = 0;
            for (Call c : batch) {
                System.arraycopy(c.nchw, 0, input, at, c.nchw.length);
                at += c.nchw.length;
            }
        }
        float[][] rows;
        try {
            rows = delegate.embed(input, count);
            if (rows.length != count) {
                throw new IllegalStateException("backbone returned " + rows.length + " embeddings for " + count + " images");
            }
        } catch (RuntimeException | Error e) {
            fail(batch, e);
            return;
        }
        batches.incrementAndGet();
        images.addAndGet(count);
        int at = 0;
        for (Call c : batch) {
            float[][] mine = new float[c.n][];
            System.arraycopy(rows, at, mine, 0, c.n);
            at += c.n;
            c.result.complete(mine);
        }
    }

    private static void fail(List<Call> batch, Throwable e) {
        for (Call c : batch) {
            c.result.completeExceptionally(e);
        }
    }

    private void failWaiting() {
        for (Call c; (c = queue.poll()) != null; ) {
            c.result.completeExceptionally(closedError());
        }
    }

    private static IllegalStateException closedError() {
        return new ClosedException();
    }

    /** Marks calls failed by {@link #close()} (as opposed to a failed forward pass). */
    private static final class ClosedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ClosedException() {
            super("the micro-batching backbone is closed");
        }
    }

    /** Refuses new calls, fails waiting ones, lets a running forward pass finish, then closes the delegate if owned. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(TimeUnit.MINUTES.toMillis(10)); // a CPU forward pass of a large batch can take minutes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failWaiting();
        if (ownsDelegate) {
            delegate.close();
        }
    }

    private static final class Call {
        final float[] nchw;
        final int n;
        final long arrivalNanos;
        final CompletableFuture<float[][]> result = new CompletableFuture<>();

        Call(float[] nchw, int n, long arrivalNanos) {
            this.nchw = nchw;
            this.n = n;
            this.arrivalNanos = arrivalNanos;
        }
    }
}
