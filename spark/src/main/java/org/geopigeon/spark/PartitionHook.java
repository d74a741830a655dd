package org.geopigeon.spark;

import java.io.Serializable;

/**
 * Called in the task after each batch's audit rows are committed and before its output rows are
 * handed to Spark. The job uses {@link #NONE}; tests inject a task failure here to show that a
 * retried task leaves neither duplicate nor missing audit rows.
 */
@FunctionalInterface
public interface PartitionHook extends Serializable {

    PartitionHook NONE = (partition, attempt, batch, images) -> { };

    /**
     * @param partition Spark partition id
     * @param attempt   task attempt number, 0 for the first
     * @param batch     batch number within the partition, from 0
     * @param images    images in the batch
     */
    void afterAuditedBatch(int partition, int attempt, int batch, int images);
}
