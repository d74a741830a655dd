package org.geopigeon.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Named accumulators of a batch job, shown in the Spark UI and read by {@link PartitionProgress}.
 * Counts from failed task attempts are discarded by Spark, so retries are not counted twice.
 *
 * @param images           images processed
 * @param failed           images without an estimate (error rows)
 * @param auditRowsReused  audit rows found already written (by an earlier attempt of the same task or job)
 */
public record JobCounters(LongAccumulator images, LongAccumulator failed, LongAccumulator auditRowsReused)
        implements Serializable {

    /** Accumulator names, as the Spark UI shows them. */
    public static final String IMAGES = "geopigeon.images";
    public static final String FAILED = "geopigeon.failed";
    public static final String REUSED = "geopigeon.auditRowsReused";

    /** New accumulators registered with {@code sc} (on the driver, before the job). */
    public static JobCounters register(SparkContext sc) {
        return new JobCounters(sc.longAccumulator(IMAGES), sc.longAccumulator(FAILED), sc.longAccumulator(REUSED));
    }
}
