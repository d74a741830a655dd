package org.geopigeon.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.Success$;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Driver-side progress of a batch job: one line per finished partition (images, failures, overall
 * throughput) and one per failed task attempt (Spark retries it), read from the tasks' updates of the
 * {@link JobCounters} accumulators. Runs on Spark's listener thread.
 */
public final class PartitionProgress extends SparkListener {

    private final Consumer<String> out;
    private final int partitions;
    private final long started = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong failedImages = new AtomicLong();

    /** @param partitions partitions of the job's input (for "n/N") */
    public PartitionProgress(Consumer<String> out, int partitions) {
        this.out = out;
        this.partitions = partitions;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        long img = -1;
        long bad = 0;
        for (AccumulableInfo a : CollectionConverters.asJava(end.taskInfo().accumulables())) {
            String name = a.name().isDefined() ? a.name().get() : "";
            if (a.update().isDefined() && (JobCounters.IMAGES.equals(name) || JobCounters.FAILED.equals(name))) {
                long v = ((Number) a.update().get()).longValue();
                if (JobCounters.IMAGES.equals(name)) {
                    img = v;
                } else {
                    bad = v;
                }
            }
        }
        int partition = end.taskInfo().partitionId();
        if (!(end.reason() instanceof Success$)) {
            failedAttempts.incrementAndGet();
            String why = end.reason() instanceof ExceptionFailure ef ? ErrorText.firstLine(ef.description())
                    : end.reason() instanceof TaskFailedReason f ? ErrorText.firstLine(f.toErrorString()) : end.reason().toString();
            out.accept(String.format(Locale.ROOT, "partition %d attempt %d failed (%s); Spark retries it",
                    partition, end.taskInfo().attemptNumber(), why));
            return;
        }
        if (img < 0) {
            return; // not a task of ours (e.g. the summary's read-back)
        }
        int n = done.incrementAndGet();
        long total = images.addAndGet(img);
        failedImages.addAndGet(bad);
        double s = (System.nanoTime() - started) / 1e9;
        out.accept(String.format(Locale.ROOT, "partition %d done (%d/%d): %d images, %d failed; %d images so far,"
                + " %.2f images/s", partition, n, partitions, img, bad, total, total / Math.max(s, 1e-9)));
    }

    /** Task attempts that failed (and were retried or failed the job). */
    public int failedAttempts() {
        return failedAttempts.get();
    }
}
