package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.LoadedModel;
import org.geopigeon.service.ServiceLimits;

/**
 * The standalone GeoPigeon HTTP service: JSON/GeoJSON API under {@code /api/v1/} and the map viewer at
 * {@code /}. Every locate request goes through {@link AuditedGeolocation}, so it is audited in PostGIS and
 * answered only once its audit row is committed.
 */
public final class GeoPigeonServer implements AutoCloseable {

    private static final Set<String> READ = Set.of("GET", "HEAD");
    private static final int QUEUED_REQUESTS = 100;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private GeoPigeonServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts listening. The bundle stays owned by the caller (close it after the server).
     *
     * @param dataSource the PostGIS database with the geopigeon schema (audit log and predictions)
     * @param migrate    apply the schema migrations before the first write
     * @param log        where request errors are logged
     * @throws IOException when the address cannot be bound
     */
    public static GeoPigeonServer start(ServerSettings settings, ModelBundle bundle, DataSource dataSource,
                                        boolean migrate, Boundaries boundaries, PrintStream log) throws IOException {
        ServiceLimits limits = new ServiceLimits(new ImageRules(ImageRules.DEFAULT_MIN_SIDE, settings.maxPixels(),
                ImageRules.DEFAULT_MAX_BYTES), settings.maxConcurrent(), settings.busyWait(),
                Math.max(ServiceLimits.DEFAULT_MAX_PIXELS_IN_FLIGHT, settings.maxPixels()));
        return start(settings, limits, bundle, dataSource, migrate, boundaries, log);
    }

    /**
     * Starts listening with the audited service's limits (image rules, concurrency, pixels in flight) as
     * configured for every front end ({@code GeoPigeonConfig.limits()}).
     */
    public static GeoPigeonServer start(ServerSettings settings, ServiceLimits limits, ModelBundle bundle,
                                        DataSource dataSource, boolean migrate, Boundaries boundaries, PrintStream log)
            throws IOException {
        LoadedModel loaded = LoadedModel.of(bundle);
        ServedModel model = ServedModel.of(bundle);
        AuditedGeolocation service = new AuditedGeolocation(() -> loaded, dataSource, migrate, limits);
        LocateEndpoint locate = new LocateEndpoint(service, new BodyReader(settings.maxUploadBytes()),
                new ClientIdentity(settings.trustProxyUser()), model, settings.storeDefault());

        HttpServer server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
        server.createContext("/", new HttpAdapter(READ, new StaticEndpoint(), log));
        server.createContext("/api/v1/locate", new HttpAdapter(Set.of("POST"), exact("/api/v1/locate", locate), log));
        server.createContext(PredictionsEndpoint.PATH, new HttpAdapter(READ,
                new PredictionsEndpoint(new StoredPredictions(dataSource)), log));
        server.createContext("/api/v1/health", new HttpAdapter(READ,
                exact("/api/v1/health", new HealthEndpoint(model, dataSource, service.auditLog())), log));
        server.createContext("/api/v1/model", new HttpAdapter(READ,
                exact("/api/v1/model", ex -> Response.json(200, model.summary())), log));
        server.createContext("/api/v1/boundaries", new HttpAdapter(READ,
                exact("/api/v1/boundaries", ex -> boundaries.response()), log));
        server.createContext("/api/", new HttpAdapter(Set.of("GET", "HEAD", "POST"), ex -> {
            throw new ApiException(404, "NOT_FOUND", "no API endpoint " + ex.getRequestURI().getPath()
                    + "; see docs/service.md");
        }, log));

        ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED_REQUESTS), threads(),
                new ThreadPoolExecutor.CallerRunsPolicy()); // a full queue slows accepting instead of dropping
        server.setExecutor(executor);
        server.start();
        return new GeoPigeonServer(server, executor);
    }

    /** The server's contexts match by prefix; these endpoints answer only their own path. */
    private static Endpoint exact(String path, Endpoint endpoint) {
        return ex -> {
            String p = ex.getRequestURI().getPath();
            if (!p.equals(path) && !p.equals(path + "/")) {
                throw new ApiException(404, "NOT_FOUND", "no API endpoint " + p + "; see docs/service.md");
            }
            return endpoint.handle(ex);
        };
    }

    private static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "geopigeon-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URI, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Stops accepting, lets running requests finish for up to 5 seconds, then stops the workers. */
    @Override
    public void close() {
        server.stop(5);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
