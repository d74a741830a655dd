package org.geopigeon.app.serve.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.geopigeon.app.serve.http.JsonBodies;

/**
 * {@code GET /health/live} (the process answers HTTP) and {@code GET /health/ready} (an audit row could be
 * written now, see {@link ReadinessMonitor}; 503 with {@code Retry-After} otherwise). Both are public, carry
 * no secrets and are meant for load balancers and orchestrators. The readiness answer is computed on the
 * monitor's own thread; the HTTP thread is released while it runs ({@code ctx.future}).
 */
public final class HealthRoutes {

    /** Liveness document. */
    public record Live(String status, String started) {
    }

    /** Readiness document. */
    public record Ready(String status, Map<String, ReadinessMonitor.Check> checks, String checked) {
    }

    private final ReadinessMonitor monitor;
    private final JsonBodies json;
    private final Duration answerWithin;
    private final String started = Instant.now().toString();

    /** @param answerWithin longest a probe waits for a running check before answering "unavailable" */
    public HealthRoutes(ReadinessMonitor monitor, JsonBodies json, Duration answerWithin) {
        this.monitor = monitor;
        this.json = json;
        this.answerWithin = answerWithin;
    }

    /**
     * Registers {@code GET /health/live} (always 200 while the process answers) and {@code /health/ready} (200 when
     * an audit row can be written, see {@link ReadinessMonitor}, else 503 with {@code Retry-After} and the failing
     * checks; a check that does not answer in time counts as failed); both public.
     */
    public void register(RoutesConfig r) {
        r.get("/health/live", ctx -> json.write(ctx, 200, JsonBodies.JSON, new Live("alive", started)));
        r.get("/health/ready", this::ready);
    }

    private void ready(Context ctx) {
        ReadinessMonitor.Readiness timedOut = new ReadinessMonitor.Readiness(false, Map.of("audit_write",
                new ReadinessMonitor.Check(false, answerWithin.toMillis(), "the database did not answer within "
                        + answerWithin.toMillis() + " ms")), Instant.now());
        CompletableFuture<ReadinessMonitor.Readiness> f = monitor.current().copy()
                .completeOnTimeout(timedOut, answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        ctx.future(() -> f.thenAccept(r -> {
            ctx.header("Cache-Control", "no-store");
            if (!r.ready()) {
                ctx.header("Retry-After", String.valueOf(monitor.retryAfterSeconds()));
            }
            json.write(ctx, r.ready() ? 200 : 503, JsonBodies.JSON, new Ready(r.status(), r.checks(),
                    r.checked().toString()));
        }));
    }
}
