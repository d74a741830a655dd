package org.geopigeon.service;

import java.time.Duration;
import java.util.Objects;
import org.geopigeon.engine.model.MicroBatchingBackbone;
import org.geopigeon.engine.model.PrecisionChoice;

/**
 * How a front end's model is loaded and run: the backbone precision and micro-batching (docs/configuration.md).
 *
 * @param precision      the backbone arithmetic asked for ({@code geopigeon.precision}; {@link PrecisionChoice#AUTO}
 *                       = bf16 where the hardware runs it natively and the bundle has the variant, else fp32)
 * @param perRequest     whether a request may ask for another precision the bundle has; each such precision is
 *                       then loaded once, on first use, and shared ({@code geopigeon.precisionPerRequest})
 * @param microBatch     most images per backbone pass when concurrent requests are grouped
 *                       ({@link MicroBatchingBackbone}); 0 = off, every request runs its own passes
 *                       ({@code geopigeon.microBatch})
 * @param microBatchWait longest a request's images wait for others to join their pass, 0 to 10 s
 *                       ({@code geopigeon.microBatchWaitMillis})
 */
public record ModelSettings(PrecisionChoice precision, boolean perRequest, int microBatch, Duration microBatchWait) {

    /** Largest micro-batch accepted: 64 images of 336 px are 87 MB of floats per pass. */
    public static final int MAX_MICRO_BATCH = 64;
    /** The default wait for a micro-batch to fill (used when batching is switched on without a wait). */
    public static final Duration DEFAULT_MICRO_BATCH_WAIT = Duration.ofMillis(5);

    /** Auto precision, other precisions per request allowed, micro-batching off. */
    public static final ModelSettings DEFAULT = new ModelSettings(PrecisionChoice.AUTO, true, 0,
            DEFAULT_MICRO_BATCH_WAIT);

    public ModelSettings {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(microBatchWait, "microBatchWait");
        if (microBatch < 0 || microBatch > MAX_MICRO_BATCH) {
            throw new IllegalArgumentException("geopigeon.microBatch must be 0 (off) to " + MAX_MICRO_BATCH
                    + ", got " + microBatch);
        }
        if (microBatchWait.isNegative() || microBatchWait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("geopigeon.microBatchWaitMillis must be 0 to 10000, got "
                    + microBatchWait.toMillis());
        }
    }

    /** True when concurrent requests share backbone passes. */
    public boolean microBatching() {
        return microBatch > 0;
    }

    /** The same settings with another backbone precision choice. */
    public ModelSettings withPrecision(PrecisionChoice p) {
        return new ModelSettings(p, perRequest, microBatch, microBatchWait);
    }

    /**
     * @param maxBatch 0 = off
     * @param wait     longest wait for a batch to fill
     */
    public ModelSettings withMicroBatch(int maxBatch, Duration wait) {
        return new ModelSettings(precision, perRequest, maxBatch, wait);
    }

    /** The same settings, with requests allowed (or not) to ask for their own precision. */
    public ModelSettings withPerRequest(boolean allowed) {
        return new ModelSettings(precision, allowed, microBatch, microBatchWait);
    }
}
