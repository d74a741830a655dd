package org.geopigeon.app.serve.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request whose body must arrive at a minimum average rate: once a grace period has passed, a body that has
 * averaged fewer than {@code minBytesPerSecond} since the request began is failed with a
 * {@link TimeoutException} (the service answers 408). Checked once a second, so a client sending one byte at a
 * time is cut off even though bytes keep arriving (the idle timeout never fires for it).
 *
 * <p>Why our own: Jetty 12.1's {@code MinimumDataRateHandler} computes the rate from the byte count of the whole
 * handler (all requests together), so under concurrent traffic a trickling client is never cut off.
 */
final class MinimumUploadRate extends Request.Wrapper implements Runnable {

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final Scheduler scheduler;
    private final long start = NanoTime.now();
    private final AtomicReference<Runnable> pendingDemand = new AtomicReference<>();
    private volatile long bytes;
    private volatile Content.Chunk failure;
    private volatile boolean done;
    private volatile Scheduler.Task task;

    MinimumUploadRate(Request request, long minBytesPerSecond, long graceNanos, Scheduler scheduler) {
        super(request);
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = graceNanos;
        this.scheduler = scheduler;
        schedule();
    }

    private void schedule() {
        task = scheduler.schedule(this, 1, TimeUnit.SECONDS);
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk f = failure;
        if (f != null) {
            return f;
        }
        Content.Chunk chunk = super.read();
        if (chunk != null) {
            bytes += chunk.remaining();
            if (chunk.isLast()) {
                finish();
            }
        }
        return chunk;
    }

    @Override
    public void demand(Runnable callback) {
        if (failure != null) {
            callback.run();
            return;
        }
        pendingDemand.set(callback);
        super.demand(() -> {
            if (pendingDemand.compareAndSet(callback, null)) {
                callback.run();
            }
        });
    }

    /** The periodic check. */
    @Override
    public void run() {
        if (done) {
            return;
        }
        long elapsed = NanoTime.since(start);
        if (elapsed > graceNanos && bytes * 1_000_000_000L / elapsed < minBytesPerSecond) {
            failure = Content.Chunk.from(new TimeoutException("the request body arrived at "
                    + bytes * 1_000_000_000L / elapsed + " bytes/s, below the minimum of " + minBytesPerSecond), true);
            done = true;
            Runnable d = pendingDemand.getAndSet(null);
            if (d != null) {
                d.run(); // the reader reads again and finds the failure
            }
            return;
        }
        schedule();
    }

    /** The body has been read (or the request is over): stop checking. */
    void finish() {
        done = true;
        Scheduler.Task t = task;
        if (t != null) {
            t.cancel();
        }
    }
}
