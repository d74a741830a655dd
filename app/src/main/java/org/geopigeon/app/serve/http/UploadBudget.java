package org.geopigeon.app.serve.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory held by request bodies being received or processed: bodies stay in memory (they are
 * never written to disk), so the sum of the bodies admitted at once is capped. A request is admitted from
 * its {@code Content-Length} (the full limit when it has none) before any byte of the body is read.
 */
public final class UploadBudget {

    private final long maxBytes;
    private final AtomicLong inUse = new AtomicLong();

    public UploadBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Admits {@code bytes} more if they fit; pair with {@link #release}. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = inUse.get();
            if (now + bytes > maxBytes) {
                return false;
            }
            if (inUse.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} admitted by {@link #tryReserve}; call once per successful reservation (finally). */
    public void release(long bytes) {
        inUse.addAndGet(-bytes);
    }

    /** Bytes admitted and not yet released, across all requests (for metrics and tests). */
    public long inUse() {
        return inUse.get();
    }

    /** The cap in bytes ({@code --max-buffered-mb}, else the default of {@code ServerSettings}). */
    public long maxBytes() {
        return maxBytes;
    }
}
