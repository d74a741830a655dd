package org.geopigeon.app.serve;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.AuthMode;
import org.geopigeon.app.serve.auth.Authenticator;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.auth.Permission;
import org.geopigeon.app.serve.health.HealthRoutes;
import org.geopigeon.app.serve.health.ReadinessMonitor;
import org.geopigeon.app.serve.http.AccessGate;
import org.geopigeon.app.serve.http.BodyFailures;
import org.geopigeon.app.serve.http.HeaderReadTimeout;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.app.serve.http.ProblemErrorHandler;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.app.serve.http.RequestInfo;
import org.geopigeon.app.serve.http.UploadBudget;
import org.geopigeon.app.serve.jobs.AsyncJobRunner;
import org.geopigeon.app.serve.jobs.JobJanitor;
import org.geopigeon.app.serve.jobs.JobStore;
import org.geopigeon.app.serve.legacy.LegacyApi;
import org.geopigeon.app.serve.ogc.ExecutionResponder;
import org.geopigeon.app.serve.ogc.OgcApi;
import org.geopigeon.app.serve.ogc.OpenApiDocument;
import org.geopigeon.app.serve.process.EchoProcess;
import org.geopigeon.app.serve.process.ExecuteRequestReader;
import org.geopigeon.app.serve.process.ExecutionMetrics;
import org.geopigeon.app.serve.process.GeolocateProcess;
import org.geopigeon.app.serve.process.GeolocationAdapter;
import org.geopigeon.app.serve.process.HrefFetcher;
import org.geopigeon.app.serve.process.OgcProcess;
import org.geopigeon.app.serve.process.ProcessRegistry;
import org.geopigeon.app.serve.process.RefusalAudit;
import org.geopigeon.app.serve.process.ServedPrecisions;
import org.geopigeon.app.serve.viewer.ViewerRoutes;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.LoadedModel;
import org.geopigeon.service.ModelHolder;
import org.geopigeon.service.Incidents;
import org.geopigeon.service.ModelSettings;
import org.geopigeon.service.ServiceLimits;
import org.geopigeon.service.store.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone GeoPigeon service on Javalin 7 / Jetty 12: OGC API - Processes (landing page, conformance,
 * OpenAPI, processes, execution, jobs), stored predictions and the audit log for the roles that may read
 * them, health probes, the Leaflet viewer and the old {@code /api/v1} paths.
 *
 * <p>Jetty's handler chain, outermost first (maintained Jetty handlers except the gate):
 * <ol>
 *   <li>{@link AccessGate}: Host and Origin checks, authentication, 413 from the headers, the upload memory
 *       budget, all before a body byte is read; and the minimum upload rate;</li>
 *   <li>{@link SizeLimitHandler}: the limit again for chunked bodies that declare no length;</li>
 *   <li>{@link EagerContentHandler}: the body is read asynchronously into memory (no thread waits on a slow
 *       client) and only then is the request dispatched to Javalin;</li>
 *   <li>Javalin's servlet.</li>
 * </ol>
 * The connector adds an idle (read) timeout and {@link HeaderReadTimeout}. Multipart bodies of the old
 * locate path are parsed by Jetty with an in-memory threshold equal to the upload limit, so no part is ever
 * written to disk. Every geolocation goes through {@link GeolocationAdapter} to the audited service, so it is
 * answered only once its audit row is committed.
 */
public final class GeoPigeonServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeoPigeonServer.class);
    private static final long OTHER_BODY_BYTES = 64 * 1024;
    private static final Duration STALE_JOB = Duration.ofMinutes(5);
    private static final Pattern EXECUTION = Pattern.compile("/processes/[^/]+/execution");
    /** Request attribute set once a refusal of the request has been audited, so it is audited once. */
    public static final String AUDITED = AccessGate.AUDITED;

    private final Javalin app;
    private final AsyncJobRunner runner;
    private final JobJanitor janitor;
    private final ReadinessMonitor readiness;
    private final UploadBudget budget;
    private final ExecutionMetrics metrics;
    private final ModelHolder models;

    private GeoPigeonServer(Javalin app, AsyncJobRunner runner, JobJanitor janitor, ReadinessMonitor readiness,
                            UploadBudget budget, ExecutionMetrics metrics, ModelHolder models) {
        this.app = app;
        this.runner = runner;
        this.janitor = janitor;
        this.readiness = readiness;
        this.budget = budget;
        this.metrics = metrics;
        this.models = models;
    }

    /**
     * Starts listening. The bundle stays owned by the caller (close it after the server).
     *
     * @param dataSource the PostGIS database with the geopigeon schema (audit log, predictions, tokens, jobs)
     * @param migrate    apply the schema migrations before the first write
     * @param log        where start-up problems are reported
     * @throws IOException when the address cannot be bound
     */
    public static GeoPigeonServer start(ServerSettings s, ModelBundle bundle, DataSource dataSource, boolean migrate,
                                        Boundaries boundaries, PrintStream log) throws IOException {
        return start(s, bundle, ModelSettings.DEFAULT, dataSource, migrate, boundaries, log);
    }

    /**
     * As {@link #start(ServerSettings, ModelBundle, DataSource, boolean, Boundaries, PrintStream)} with model settings
     * (micro-batching, precisions per request); the inference slots are {@code s.maxConcurrent()}, which should be at
     * least the micro-batch size.
     */
    public static GeoPigeonServer start(ServerSettings s, ModelBundle bundle, ModelSettings modelSettings,
                                        DataSource dataSource, boolean migrate, Boundaries boundaries, PrintStream log)
            throws IOException {
        ServiceLimits limits = new ServiceLimits(new ImageRules(ImageRules.DEFAULT_MIN_SIDE, s.maxPixels(),
                s.maxImageBytes()), s.maxConcurrent(), s.busyWait(),
                Math.max(ServiceLimits.DEFAULT_MAX_PIXELS_IN_FLIGHT, s.maxPixels()));
        return start(s, limits, bundle, modelSettings, dataSource, migrate, boundaries, log);
    }

    /**
     * Starts listening with the audited service's limits (image rules, concurrency, pixels in flight) as configured
     * for every front end ({@code GeoPigeonConfig.limits()}).
     */
    public static GeoPigeonServer start(ServerSettings s, ServiceLimits limits, ModelBundle bundle,
                                        DataSource dataSource, boolean migrate, Boundaries boundaries, PrintStream log)
            throws IOException {
        return start(s, limits, bundle, ModelSettings.DEFAULT, dataSource, migrate, boundaries, log);
    }

    /**
     * Starts listening with the audited service's limits and model settings: micro-batching of concurrent requests
     * and the precisions requests may ask for ({@link ModelHolder}; the bundle's own precision is the server's). The
     * bundle stays owned by the caller: close it after the server.
     */
    public static GeoPigeonServer start(ServerSettings s, ServiceLimits limits, ModelBundle bundle,
                                        ModelSettings modelSettings, DataSource dataSource, boolean migrate,
                                        Boundaries boundaries, PrintStream log) throws IOException {
        ModelHolder models = ModelHolder.serving(bundle, modelSettings);
        try {
            return start(s, limits, bundle, models, dataSource, migrate, boundaries, log);
        } catch (IOException | RuntimeException e) {
            models.close();
            throw e;
        }
    }

    private static GeoPigeonServer start(ServerSettings s, ServiceLimits limits, ModelBundle bundle, ModelHolder models,
                                         DataSource dataSource, boolean migrate, Boundaries boundaries, PrintStream log)
            throws IOException {
        ListenAddress.check(s.bind(), s.port()); // before Javalin, which calls every bind failure "Port already in use"
        JsonBodies json = new JsonBodies(s.maxUploadBody());
        ServedModel model = ServedModel.of(bundle);
        LoadedModel loaded = models.get();
        AuditedGeolocation service = new AuditedGeolocation(models, dataSource, migrate, limits);
        RefusalAudit refusals = new RefusalAudit(service.auditTrail(), model.name());
        ReadinessMonitor readiness = new ReadinessMonitor(dataSource, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Map.of("model", new ReadinessMonitor.Check(true, 0, model.name()
                        + (model.trained() ? "" : " (untrained demo weights)"))));
        ExecutionMetrics metrics = new ExecutionMetrics(s.maxConcurrent());
        GeolocationAdapter adapter = new GeolocationAdapter(service, model, s.storeDefault(), metrics,
                s.maxQueued(), refusals, readiness);
        List<OgcProcess> offered = new ArrayList<>();
        offered.add(new GeolocateProcess(adapter, refusals, json.mapper(), s.storeDefault(), loaded.defaultTopK(),
                new ServedPrecisions(loaded.precision(), models.precisions())));
        if (s.echoProcess()) {
            offered.add(new EchoProcess(json.mapper()));
        }
        ProcessRegistry registry = new ProcessRegistry(offered);
        Authenticator authenticator = new Authenticator(s.authMode(), new ApiTokens(dataSource, s.tokenCacheTtl()),
                s.trustProxyUser(),
                s.proxyRole(), System.getProperty("user.name"));
        JobStore jobs = new JobStore(dataSource, json.mapper(), UUID.randomUUID().toString());
        ExecutionResponder responder = new ExecutionResponder(json.mapper());
        AsyncJobRunner runner = new AsyncJobRunner(jobs, s.maxConcurrent(), s.asyncQueue(), s.jobRetention(),
                json.mapper(), responder::stored);
        JobJanitor janitor = new JobJanitor(jobs, s.jobRetention(), STALE_JOB, Duration.ofMinutes(1), json.mapper());
        RequestInfo info = new RequestInfo(s.publicUrl());
        BodyFailures bodyFailures = new BodyFailures(s.maxUploadBody(), s.maxImageBytes());
        OgcApi ogc = new OgcApi(registry, new ExecuteRequestReader(json.mapper(), s.maxImageBytes(), bodyFailures),
                new HrefFetcher(s.allowedHrefHosts(), s.hrefTimeout()), responder, jobs, runner, refusals, metrics,
                OpenApiDocument.load(json.mapper()), json, info, s.jobRetention(), s.maxImageBytes(),
                "GeoPigeon (" + model.name() + ")");
        LegacyApi legacy = new LegacyApi(adapter, refusals, json, bodyFailures);
        BrowseRoutes browse = new BrowseRoutes(new StoredPredictions(dataSource), model, boundaries, service.auditLog(),
                json);
        String viewerAuth = s.authMode() == AuthMode.LOOPBACK_ONLY ? "none" : s.trustProxyUser() ? "proxy" : "token";
        ViewerRoutes viewer = new ViewerRoutes(viewerAuth, s.basemapUrl(), s.basemapAttribution(), model.trained(),
                json);
        HealthRoutes health = new HealthRoutes(readiness, json, Duration.ofSeconds(3));
        UploadBudget budget = new UploadBudget(s.maxBufferedBytes());
        AccessGate.Refusals auditedRefusals = (refusal, caller, peer, path, extra) -> {
            Map<String, Object> params = AccessGate.auditParameters(path);
            params.putAll(extra);
            return refusals.record(refusal, caller, peer, null, params);
        };
        AccessGate gate = new AccessGate(authenticator, GeoPigeonServer::isPublic, GeoPigeonServer::isUpload,
                GeoPigeonServer::isAudited, budget, s.maxUploadBody(), s.maxImageBytes(), OTHER_BODY_BYTES,
                s.maxDrainBytes(), auditedRefusals, metrics::retryAfterSeconds, json,
                s.authMode() == AuthMode.LOOPBACK_ONLY, s.minDataRate(), s.readTimeout());

        Javalin app = Javalin.create(config -> {
            configureJetty(config, s, new ProblemErrorHandler(json, GeoPigeonServer::isAudited, auditedRefusals,
                    bodyFailures), gate);
            config.staticFiles.enableWebjars();
            config.routes.beforeMatched(GeoPigeonServer::checkPermission);
            ogc.register(config.routes);
            browse.register(config.routes);
            legacy.register(config.routes);
            viewer.register(config.routes);
            health.register(config.routes);
            config.routes.exception(ProblemException.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                json.writeProblem(ctx, e.problem().instance() == null ? e.problem().withInstance(ctx.path())
                        : e.problem());
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 405 && allowedMethods(e) != null) {
                    ctx.header("Allow", allowedMethods(e)); // RFC 9110, 15.5.6: a 405 carries Allow
                }
                ProblemException p = e.getStatus() == 413 ? bodyFailures.forStatus(413) // Javalin's maxRequestSize
                        : new ProblemException(Problem.of(e.getStatus(), code(e.getStatus()),
                        detail(e, ctx.method().name())));
                json.writeProblem(ctx, auditOnce(ctx, p, refusals).problem().withInstance(ctx.path()));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                ProblemException p;
                if (ExecuteRequestReader.timedOut(e)) {
                    p = bodyFailures.forStatus(408);
                } else {
                    p = bodyFailures.problem(e).orElse(null);
                }
                if (p == null) {
                    String incident = Incidents.log(LOG, ErrorCode.SERVER_ERROR, ctx.method() + " " + ctx.path()
                            + " failed", e);
                    p = ProblemException.of(500, "SERVER_ERROR", "the server failed to answer this request;"
                            + " its log has the details under incident " + incident);
                }
                p = auditOnce(ctx, p, refusals);
                p.headers().forEach(ctx::header);
                json.writeProblem(ctx, p.problem().withInstance(ctx.path()));
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            runner.close();
            janitor.close();
            readiness.close();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException b) { // lost a race after the check above
                    throw new IOException(ListenAddress.describe(b, s.bind(), s.port()), e);
                }
            }
            LOG.error("the server could not start", e);
            throw new IOException("the server could not start; the log above has the details", e);
        }
        return new GeoPigeonServer(app, runner, janitor, readiness, budget, metrics, models);
    }

    private static void configureJetty(JavalinConfig config, ServerSettings s, ProblemErrorHandler errors,
                                       AccessGate gate) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        QueuedThreadPool pool = new QueuedThreadPool(s.threads(), Math.min(8, s.threads()), 60_000);
        pool.setName("geopigeon-http");
        pool.setDaemon(true);
        config.jetty.threadPool = pool;
        config.http.maxRequestSize = s.maxUploadBody();
        config.http.prefer405over404 = true;
        config.router.ignoreTrailingSlashes = false; // /viewer redirects to /viewer/, whose page loads viewer.js
        // Multipart parts stay in memory up to the whole upload limit, so none is ever written to disk.
        config.jetty.multipartConfig.cacheDirectory(s.multipartCacheDir().toString());
        config.jetty.multipartConfig.maxFileSize(s.maxImageBytes(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(s.maxUploadBody(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, s.maxUploadBody()),
                SizeUnit.BYTES);
        config.jetty.modifyHttpConfiguration(hc -> {
            hc.setSendServerVersion(false);
            hc.setSendXPoweredBy(false);
            hc.setRequestHeaderSize(16 * 1024);
            hc.setIdleTimeout(s.readTimeout().toMillis());
        });
        config.jetty.addConnector((server, hc) -> {
            ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(hc));
            c.setHost(s.bind());
            c.setPort(s.port());
            c.setIdleTimeout(s.readTimeout().toMillis());
            c.addBean(new HeaderReadTimeout(c, s.headerTimeout()));
            return c;
        });
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(errors);
            // Inserted innermost first: each insert wraps what is there.
            server.insertHandler(new EagerContentHandler(new EagerContentHandler.RetainedContentLoaderFactory(
                    s.maxUploadBody() + 64 * 1024, -1, false)));
            server.insertHandler(new SizeLimitHandler(s.maxUploadBody(), -1));
            server.insertHandler(gate);
        });
    }

    /**
     * Audits a refusal of a geolocation request that no route audited (a failure of the HTTP layer or a bug), once:
     * every request on those paths leaves exactly one audit row.
     */
    private static ProblemException auditOnce(Context ctx, ProblemException p, RefusalAudit refusals) {
        if (!"POST".equals(ctx.method().name()) || !isAudited(ctx.path()) || ctx.attribute(AUDITED) != null) {
            return p;
        }
        ctx.attribute(AUDITED, Boolean.TRUE);
        return refusals.record(p, RequestInfo.callerOrNull(ctx), ctx.ip(), null, AccessGate.auditParameters(ctx.path()));
    }

    /** Routes answered without credentials: discovery documents, health probes, the viewer's files. */
    static boolean isPublic(Request request) {
        String m = request.getMethod();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return false;
        }
        String p = Request.getPathInContext(request);
        return p.equals("/") || p.equals("/conformance") || p.equals("/api") || p.equals("/processes")
                || p.startsWith("/processes/") && !p.endsWith("/execution") || p.startsWith("/health/")
                || p.equals("/viewer") || p.startsWith("/viewer/") || p.startsWith("/webjars/")
                || p.equals("/boundaries") || p.equals("/favicon.ico") || p.startsWith("/api/v1/");
    }

    /** Paths whose POST carries images. */
    static boolean isUpload(String path) {
        return EXECUTION.matcher(path).matches() || path.equals(LegacyApi.LOCATE);
    }

    /** Paths whose every request is a geolocation request, audited even when refused at the door. */
    static boolean isAudited(String path) {
        return path.equals("/processes/" + GeolocateProcess.ID + "/execution") || path.equals(LegacyApi.LOCATE);
    }

    private static void checkPermission(Context ctx) {
        if (ctx.routeRoles().isEmpty()) {
            return;
        }
        Caller caller = RequestInfo.caller(ctx);
        for (RouteRole r : ctx.routeRoles()) {
            if (r instanceof Permission p && !caller.can(p)) {
                throw ProblemException.of(403, "FORBIDDEN", "role " + caller.role().id() + " may not " + switch (p) {
                    case EXECUTE -> "run processes";
                    case JOBS -> "see jobs";
                    case BROWSE -> "browse stored predictions";
                    case AUDIT -> "read the audit log (auditor or admin only)";
                });
            }
        }
    }

    private static String code(int status) {
        return switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "TOO_LARGE";
            default -> status >= 500 ? "SERVER_ERROR" : "INVALID_REQUEST";
        };
    }

    private static String detail(HttpResponseException e, String method) {
        return switch (e.getStatus()) {
            case 404 -> "there is nothing at this path; the landing page / lists the API (docs/service.md)";
            case 405 -> "this path does not take " + method + (allowedMethods(e) == null ? ""
                    : "; allowed: " + allowedMethods(e));
            default -> e.getMessage();
        };
    }

    /**
     * The methods a path takes, from Javalin's 405 ({@code MethodNotAllowedResponse} puts them, comma-separated,
     * under the detail key {@code availableMethods}), with HEAD wherever GET is served; null when unknown.
     */
    static String allowedMethods(HttpResponseException e) {
        String v = e.getDetails().get("availableMethods");
        if (v == null || v.isBlank()) {
            return null;
        }
        List<String> methods = new ArrayList<>();
        for (String m : v.split(",")) {
            String t = m.trim().toUpperCase(java.util.Locale.ROOT);
            if (!t.isEmpty() && !methods.contains(t)) {
                methods.add(t);
            }
        }
        if (methods.contains("GET") && !methods.contains("HEAD")) {
            methods.add(methods.indexOf("GET") + 1, "HEAD");
        }
        return String.join(", ", methods);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        ServerConnector c = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        String host = c.getHost() == null || c.getHost().equals("0.0.0.0") || c.getHost().equals("::")
                ? "127.0.0.1" : c.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + c.getLocalPort() + "/");
    }

    /** The routes served, as "METHOD /path/{param}" (static files under /webjars/ aside). */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        app.unsafe.internalRouter.allHttpHandlers().forEach(e -> {
            String m = e.endpoint.method.name();
            if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(m)) {
                out.add(m + " " + e.endpoint.path);
            }
        });
        return out;
    }

    /** Bytes of request bodies held now (received or being processed). */
    public long bufferedBytes() {
        return budget.inUse();
    }

    /** The measured geolocation service times and requests in flight (behind {@code Retry-After}). */
    public ExecutionMetrics metrics() {
        return metrics;
    }

    /** The served models (micro-batching counters, precisions). */
    public ModelHolder models() {
        return models;
    }

    /** Stops accepting, lets running requests and jobs finish for up to 5 seconds each, then stops. */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            runner.close(Duration.ofSeconds(5));
            janitor.close();
            readiness.close();
            models.close(); // its micro-batchers and the other precisions it loaded; the bundle is the caller's
        }
    }
}
