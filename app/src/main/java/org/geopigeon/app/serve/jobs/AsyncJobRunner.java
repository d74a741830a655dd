package org.geopigeon.app.serve.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.app.serve.process.ExecuteRequest;
import org.geopigeon.app.serve.process.JobContext;
import org.geopigeon.app.serve.process.OgcProcess;
import org.geopigeon.app.serve.process.OutputValue;
import org.geopigeon.app.serve.process.ProcessResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous executions ({@code Prefer: respond-async}) on a fixed pool of workers and keeps their
 * state in {@link JobStore}. Capacity is bounded: {@code workers + queue} jobs at once, each holding its
 * input images in memory (they are never written anywhere); {@link #tryReserve()} says whether one more fits.
 */
public final class AsyncJobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobRunner.class);

    private final JobStore store;
    private final ExecutorService workers;
    private final Semaphore capacity;
    private final int maxJobs;
    private final Duration retention;
    private final ObjectMapper mapper;
    private final Function<java.util.Map<String, OutputValue>, JsonNode> storedResults;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * @param workers       jobs running at once
     * @param queue         jobs waiting beyond those
     * @param retention     how long finished jobs and their results are kept
     * @param storedResults how outputs are kept in the jobs table
     */
    public AsyncJobRunner(JobStore store, int workers, int queue, Duration retention, ObjectMapper mapper,
                          Function<java.util.Map<String, OutputValue>, JsonNode> storedResults) {
        this.store = store;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "geopigeon-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.maxJobs = workers + queue;
        this.capacity = new Semaphore(maxJobs);
        this.retention = retention;
        this.mapper = mapper;
        this.storedResults = storedResults;
    }

    /** Reserves room for one job; pair with {@link #submit} or {@link #release()}. */
    public boolean tryReserve() {
        return capacity.tryAcquire();
    }

    /** Gives back a reservation that was not used. */
    public void release() {
        capacity.release();
    }

    /** Jobs accepted and not finished. */
    public int pending() {
        return pending.get();
    }

    /** Jobs accepted at once: worker threads plus the queue ({@code --async-queue}); beyond it, 503. */
    public int maxJobs() {
        return maxJobs;
    }

    /** Runs a job whose row exists (status accepted); needs a reservation. */
    public void submit(UUID id, OgcProcess process, ExecuteRequest request, Caller caller) {
        pending.incrementAndGet();
        try {
            workers.execute(() -> run(id, process, request, caller));
        } catch (RuntimeException e) { // rejected: shutting down
            pending.decrementAndGet();
            capacity.release();
            throw e;
        }
    }

    /** Asks a queued or running job to stop; its row is dismissed by the caller. */
    public void cancel(UUID id) {
        cancelled.add(id);
    }

    private void run(UUID id, OgcProcess process, ExecuteRequest request, Caller caller) {
        try {
            if (cancelled.contains(id) || !store.markRunning(id)) {
                return; // dismissed while queued
            }
            JobContext job = new JobContext() {
                private int last = -1;

                @Override
                public void progress(int percent, String message) {
                    if (percent != last) {
                        last = percent;
                        store.progress(id, percent, message);
                    }
                }

                @Override
                public boolean isCancelled() {
                    return cancelled.contains(id);
                }

                @Override
                public String jobId() {
                    return id.toString();
                }
            };
            try {
                ProcessResult result = process.execute(request, caller, job);
                if (!store.markSucceeded(id, storedResults.apply(result.outputs()), result.auditId(),
                        result.predictionId(), retention)) {
                    LOG.info("job {} finished after it was dismissed; its results were dropped", id);
                }
            } catch (ProblemException e) {
                fail(id, e.problem());
            } catch (RuntimeException e) {
                LOG.error("job {} failed unexpectedly", id, e);
                fail(id, Problem.of(500, "JOB_FAILED", "the job failed because of an internal error; the server log"
                        + " has the details"));
            }
        } catch (RuntimeException e) {
            LOG.error("job {}: its state could not be recorded", id, e);
        } finally {
            cancelled.remove(id);
            pending.decrementAndGet();
            capacity.release();
        }
    }

    private void fail(UUID id, Problem problem) {
        store.markFailed(id, problem.detail(), mapper.valueToTree(problem), problem.auditId(), retention);
    }

    /**
     * Stops taking jobs and waits up to {@code grace} for running ones; jobs still queued then are marked failed by
     * the janitor of the next start (their images existed only in this process).
     */
    public void close(Duration grace) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
