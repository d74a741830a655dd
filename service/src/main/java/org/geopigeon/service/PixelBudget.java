package org.geopigeon.service;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the decoded pixels held at once by all requests of one service: a request reserves what its
 * image headers declare before it decodes anything, and gives it back when its inference is done.
 * Decoded photos are 4 bytes a pixel (TYPE_INT_RGB), plus about 7 more while one is being decoded, so
 * this is the service's handle on heap use: 320 MP in flight is about 1.3 GB of pixels.
 *
 * <p>First come, first served (a fair semaphore): a large panorama is not overtaken forever by small
 * photos. Pixels are counted in units of 1,000 so the budget fits the semaphore's int permits.
 */
final class PixelBudget {

    private static final long UNIT = 1000;

    private final long capacityPixels;
    private final Semaphore units;

    /** @param capacityPixels decoded pixels allowed in flight at once, at least 1 */
    PixelBudget(long capacityPixels) {
        if (capacityPixels < 1 || capacityPixels / UNIT > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pixel budget must be 1.." + Integer.MAX_VALUE * UNIT + " pixels, got "
                    + capacityPixels);
        }
        this.capacityPixels = capacityPixels;
        this.units = new Semaphore(units(capacityPixels), true);
    }

    long capacityPixels() {
        return capacityPixels;
    }

    /** True when a request of {@code pixels} could ever be admitted. */
    boolean fits(long pixels) {
        return units(pixels) <= units(capacityPixels);
    }

    /**
     * Reserves {@code pixels}, waiting at most {@code waitNanos}.
     *
     * @return a reservation to close when the pixels are dropped, or null when the wait ran out
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    Reservation reserve(long pixels, long waitNanos) throws InterruptedException {
        int n = units(pixels);
        if (!units.tryAcquire(n, Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return new Reservation(n);
    }

    /** Pixels currently reserved (for tests and status). */
    long inFlightPixels() {
        return (units(capacityPixels) - (long) units.availablePermits()) * UNIT;
    }

    private static int units(long pixels) {
        return (int) Math.min(Integer.MAX_VALUE, (pixels + UNIT - 1) / UNIT);
    }

    /** Pixels held by one request; closing twice releases once. */
    final class Reservation implements AutoCloseable {
        private final int held;
        private boolean closed;

        private Reservation(int held) {
            this.held = held;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                units.release(held);
            }
        }
    }
}
