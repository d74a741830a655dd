package org.geopigeon.app.serve.process;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measured service times of geolocations, for a {@code Retry-After} that reflects the real queue:
 * seconds = (requests ahead + 1) x mean service time / inference slots, where the mean is an exponentially
 * weighted moving average (weight 0.2) of recent successful geolocations.
 */
public final class ExecutionMetrics {

    private static final double WEIGHT = 0.2;
    private static final int MAX_RETRY_AFTER_S = 120;

    private final int slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile double meanSeconds = 1.0; // until measured: about a CPU inference of a large image

    public ExecutionMetrics(int slots) {
        this.slots = Math.max(1, slots);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished(long nanos, boolean measured) {
        inFlight.decrementAndGet();
        if (measured) {
            synchronized (this) {
                meanSeconds = (1 - WEIGHT) * meanSeconds + WEIGHT * nanos / 1e9;
            }
        }
    }

    /** Geolocations running or waiting for a slot now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The moving average of recent successful geolocations' service time, in seconds (1.0 until the first is
     * measured).
     */
    public double meanSeconds() {
        return meanSeconds;
    }

    /** Seconds until a request arriving now would get a slot; at least 1. */
    public int retryAfterSeconds() {
        int ahead = Math.max(0, inFlight.get() - slots);
        return retryAfter(ahead + 1);
    }

    /** Seconds to run {@code requests} more geolocations on the slots; at least 1. */
    public int retryAfter(int requests) {
        double s = Math.max(1, requests) * meanSeconds / slots;
        return (int) Math.max(1, Math.min(MAX_RETRY_AFTER_S, Math.ceil(s)));
    }
}
