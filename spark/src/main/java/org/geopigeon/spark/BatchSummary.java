package org.geopigeon.spark;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a batch locate job, counted from the written output (so retried tasks count once).
 *
 * @param jobId            the job id (in every audit row)
 * @param images           rows written, one per input file
 * @param located          rows with an estimate
 * @param failuresByReason error code to count
 * @param seconds          wall time of the job
 * @param failedAttempts   task attempts that failed and were retried
 * @param auditRowsReused  audit rows an attempt found already written (retries)
 * @param out              the GeoParquet folder
 */
public record BatchSummary(String jobId, long images, long located, Map<String, Long> failuresByReason,
                           double seconds, int failedAttempts, long auditRowsReused, String out) {

    public BatchSummary {
        failuresByReason = Map.copyOf(failuresByReason);
    }

    /** Rows without an estimate. */
    public long failed() {
        return images - located;
    }

    /** Rows per second of wall time. */
    public double imagesPerSecond() {
        return images / Math.max(seconds, 1e-9);
    }

    /** Lines for the user. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "batch job %s: %d images in %.1f s (%.2f images/s): %d located, %d failed",
                jobId, images, seconds, imagesPerSecond(), located, failed()));
        new TreeMap<>(failuresByReason).forEach((k, v) -> b.append(String.format(Locale.ROOT, "%n  %-18s %d", k, v)));
        b.append(String.format(Locale.ROOT, "%naudit: one row per image in the hash-chained log (job %s)", jobId));
        if (failedAttempts > 0 || auditRowsReused > 0) {
            b.append(String.format(Locale.ROOT, "; %d task attempts failed and were retried, %d audit rows were"
                    + " already written and not repeated", failedAttempts, auditRowsReused));
        }
        b.append(String.format(Locale.ROOT, "%noutput: %s (GeoParquet, point geometry, EPSG:4326)", out));
        return b.toString();
    }
}
