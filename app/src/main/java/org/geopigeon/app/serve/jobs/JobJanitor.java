package org.geopigeon.app.serve.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.service.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of jobs: deletes jobs (and their results) whose time has passed, and fails jobs abandoned by a
 * server that stopped. Runs at start and then every {@code interval}. Audit rows are never touched.
 */
public final class JobJanitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobJanitor.class);

    private final JobStore store;
    private final Duration retention;
    private final Duration staleAfter;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timer;

    /**
     * @param retention  how long a finished job is kept
     * @param staleAfter an unfinished job untouched this long is abandoned
     * @param interval   time between sweeps
     */
    public JobJanitor(JobStore store, Duration retention, Duration staleAfter, Duration interval, ObjectMapper mapper) {
        this.store = store;
        this.retention = retention;
        this.staleAfter = staleAfter;
        this.mapper = mapper;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geopigeon-job-janitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One sweep.
     *
     * @return jobs deleted
     */
    public int sweep() {
        Problem abandoned = Problem.of(500, "JOB_ABANDONED", "the server stopped before the job finished; the input"
                + " images were only held in its memory, so submit the job again");
        int failed = store.failAbandoned(staleAfter, mapper.valueToTree(abandoned), retention);
        if (failed > 0) {
            LOG.warn("{} job(s) abandoned by a stopped server were marked failed", failed);
        }
        return store.deleteExpired();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (StoreException e) {
            LOG.warn("job retention sweep failed (will retry): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
