package org.geopigeon.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What every task of a batch locate job needs, shipped with the task closure.
 *
 * @param jobId         the job's id: part of every audit row's parameters and idempotency key; reuse it to
 *                      resume a failed job without duplicating audit rows
 * @param purpose       why the locations are needed (required; in every audit row)
 * @param principal     who is accountable (required; in every audit row)
 * @param submittedBy   the Spark user that ran the job, recorded when it differs from the principal
 * @param clientAddress where the job was submitted from (the driver host), the audit row's client address
 * @param bundle        where executors find the model bundle
 * @param precision     inference precision, as the CLI's
 * @param topK          cells per image (1..50), or null for the bundle's default
 * @param refine        retrieval refinement on/off, or null for the bundle's default (on)
 * @param maxBytes      larger files are not read: they become TOO_LARGE rows
 * @param maxPixels     decompression-bomb limit of the decoder
 * @param jdbc          the audit log's database (required: no audit row, no result)
 * @param store         the model to store predictions under in PostGIS, or null to write audit rows only
 * @param hook          test seam called after each audited batch; {@link PartitionHook#NONE} in jobs
 */
public record BatchSettings(String jobId, String purpose, String principal, String submittedBy, String clientAddress,
                            BundleRef bundle, String precision, Integer topK, Boolean refine, long maxBytes,
                            long maxPixels, JdbcTarget jdbc, StoreTarget store, PartitionHook hook)
        implements Serializable {

    public BatchSettings {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("a job id is required");
        }
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a purpose is required: say why you need these locations"
                    + " (it is recorded in the audit log with every image)");
        }
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("a principal is required: who is accountable for this job"
                    + " (recorded in the audit log with every image)");
        }
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(jdbc, "jdbc: every image is audited, so a database is required");
        Objects.requireNonNull(precision, "precision");
        hook = hook == null ? PartitionHook.NONE : hook;
    }

    /** The same settings with another test hook. */
    public BatchSettings withHook(PartitionHook h) {
        return new BatchSettings(jobId, purpose, principal, submittedBy, clientAddress, bundle, precision, topK, refine,
                maxBytes, maxPixels, jdbc, store, h);
    }

    /** The same settings storing predictions under {@code s} (null: audit rows only). */
    public BatchSettings withStore(StoreTarget s) {
        return new BatchSettings(jobId, purpose, principal, submittedBy, clientAddress, bundle, precision, topK, refine,
                maxBytes, maxPixels, jdbc, s, hook);
    }

    /** The same settings with the bundle found at {@code b}. */
    public BatchSettings withBundle(BundleRef b) {
        return new BatchSettings(jobId, purpose, principal, submittedBy, clientAddress, b, precision, topK, refine,
                maxBytes, maxPixels, jdbc, store, hook);
    }
}
