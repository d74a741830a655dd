package org.geopigeon.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How much work one {@link AuditedGeolocation} takes on at once. Requests over a limit wait up to
 * {@code busyWait} in all (for pixel budget and an inference slot together), then are refused with BUSY
 * and an audit row.
 *
 * @param images           the per-image rules (bytes, pixels, minimum side)
 * @param maxConcurrent    inferences at once (each uses all the cores libtorch is given)
 * @param busyWait         longest a request waits for capacity before BUSY
 * @param maxPixelsInFlight decoded pixels held at once across all requests; at least one image at the
 *                         per-image limit. A request declaring more in total than this is refused outright
 */
public record ServiceLimits(ImageRules images, int maxConcurrent, Duration busyWait, long maxPixelsInFlight) {

    /** 320 megapixels: one panorama of four 80 MP views, or about 26 12 MP phone photos (~1.3 GB decoded). */
    public static final long DEFAULT_MAX_PIXELS_IN_FLIGHT = 320_000_000L;

    public ServiceLimits {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(busyWait, "busyWait");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (busyWait.isNegative()) {
            throw new IllegalArgumentException("busyWait must not be negative: " + busyWait);
        }
        if (maxPixelsInFlight < images.maxPixels()) {
            throw new IllegalArgumentException("the pixels in flight (" + maxPixelsInFlight + ") must hold at least"
                    + " one image at the per-image limit of " + images.maxPixels() + " pixels");
        }
    }

    /** Default image rules and in-flight bound with the given concurrency. */
    public static ServiceLimits of(int maxConcurrent, Duration busyWait) {
        return new ServiceLimits(ImageRules.defaults(), maxConcurrent, busyWait, DEFAULT_MAX_PIXELS_IN_FLIGHT);
    }
}
