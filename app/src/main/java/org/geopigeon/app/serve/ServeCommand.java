package org.geopigeon.app.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.geopigeon.app.BundleOption;
import org.geopigeon.app.JdbcOption;
import org.geopigeon.app.PrecisionOption;
import org.geopigeon.app.serve.auth.AuthMode;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.ModelSettings;
import org.geopigeon.service.ServiceLimits;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon serve}: OGC API - Processes, the stored predictions, the audit log for auditors and the
 * Leaflet map viewer, for people without GeoServer. Refuses to start without a reachable audit database:
 * answers are only given once their audit row is written.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the GeoPigeon service: OGC API - Processes (process 'geolocate', sync and async jobs),"
                + " stored predictions, the audit log for auditors, and a map viewer at /viewer/ (a browser opening / is"
                + " sent there).",
                "Callers authenticate with API tokens (geopigeon token create --name NAME --role ROLE), or at a"
                        + " trusted proxy (--trust-proxy-user); --no-auth is allowed only on loopback.",
                "Every request is recorded in the PostGIS audit log (docs/ethics.md); without a database the service"
                        + " does not start. Uploads stay in memory, never on disk. See docs/service.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally", "1:model bundle or boundaries could not be loaded, or the port is taken",
                "2:invalid command line or no audit database configured", "3:audit database unreachable"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default 8080)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServerSettings.DEFAULT_BIND,
            description = "address to listen on (default 127.0.0.1: only this machine; use TLS at a reverse proxy"
                    + " for others: tokens travel in headers)")
    String bind;

    @Mixin
    BundleOption bundle = new BundleOption();

    @Mixin
    JdbcOption jdbc = new JdbcOption();

    @Option(names = "--no-auth", description = "no authentication: every caller acts as the operating-system user"
            + " running the server, as admin (recorded in the audit log). Only with a loopback --bind")
    boolean noAuth;

    @Option(names = "--trust-proxy-user", description = "also accept the user name from the X-Remote-User header"
            + " (and the role from X-Remote-Role); only behind a reverse proxy that authenticates and sets them")
    boolean trustProxyUser;

    @Option(names = "--proxy-role", paramLabel = "ROLE", defaultValue = "analyst",
            description = "role of proxy users when the proxy sends no X-Remote-Role (default analyst)")
    String proxyRole;

    @Option(names = "--public-url", paramLabel = "URL", description = "the URL clients reach the service at (behind"
            + " a proxy), used in links and Location headers (default: from the Host header)")
    String publicUrl;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "25",
            description = "image data per request in MiB, all views together (default 25; the JSON body may be"
                    + " 4/3 of it plus 1 MiB because of base64)")
    int maxUploadMb;

    @Option(names = "--boundaries", paramLabel = "FILE", description = "country outlines GeoJSON for the viewer"
            + " (default: sample-data/boundaries/countries.geojson, else the model's geocells)")
    Path boundaries;

    @Option(names = "--basemap-url", paramLabel = "TEMPLATE", description = "XYZ tile URL for the viewer's background,"
            + " e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: none, offline outlines only)")
    String basemapUrl;

    @Option(names = "--basemap-attribution", paramLabel = "TEXT", description = "attribution shown with the tiles")
    String basemapAttribution;

    @Option(names = "--allow-href-host", paramLabel = "HOST", description = "allow inputs by reference (href) from"
            + " this host (repeatable; *.example.org allows subdomains). Default: none, references are refused")
    List<String> allowHrefHosts;

    @Option(names = "--enable-echo-process", description = "offer the 'echo' process OGC's executable test suite"
            + " runs its execution tests against (off by default)")
    boolean echo;

    @Option(names = "--job-retention-hours", paramLabel = "H", defaultValue = "24",
            description = "hours finished jobs and their results are kept; audit rows stay (default 24)")
    int jobRetentionHours;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "a request with no byte arriving for this long is closed (default 10)")
    int readTimeout;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "time allowed for a request's headers (default 10)")
    int headerTimeout;

    @Option(names = "--min-upload-rate", paramLabel = "KIB_PER_S", defaultValue = "16",
            description = "uploads slower than this on average are cut off with 408 (default 16 KiB/s)")
    int minUploadRate;

    @Option(names = "--max-buffered-mb", paramLabel = "MB", description = "memory for request bodies in flight;"
            + " beyond it uploads get 503 (default: 20 uploads, at most a third of the Java heap)")
    Integer maxBufferedMb;

    @Option(names = "--async-queue", paramLabel = "N", defaultValue = "8",
            description = "asynchronous jobs waiting beyond the running ones (default 8)")
    int asyncQueue;

    @Option(names = "--max-queued", paramLabel = "N", defaultValue = "32",
            description = "geolocations running or waiting at once, at least the inference slots"
                    + " (geopigeon.maxConcurrent; a smaller value is raised to them, with a note); beyond: 503 BUSY"
                    + " (default 32)")
    int maxQueued;

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--no-precision-per-request", description = "refuse requests that ask for another precision than"
            + " the server's (default: such a precision is loaded on the first request that asks and kept: one model"
            + " per precision used)")
    boolean fixedPrecision;

    @Option(names = "--micro-batch", paramLabel = "N", description = "group concurrent requests into backbone passes"
            + " of up to N images (1-" + ModelSettings.MAX_MICRO_BATCH + "; 0 = off; default: $GEOPIGEON_MICRO_BATCH,"
            + " else off: measured not to pay on CPUs, see docs/service.md)")
    Integer microBatch;

    @Option(names = "--micro-batch-wait-ms", paramLabel = "MS", description = "longest a request waits for others"
            + " to join its pass (0-10000; default: $GEOPIGEON_MICRO_BATCH_WAIT_MILLIS, else 5)")
    Integer microBatchWaitMs;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        GeoPigeonConfig config;
        try {
            config = GeoPigeonConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            err.println("geopigeon serve: invalid setting: " + e.getMessage());
            err.flush();
            return 2;
        }
        String jdbcUrl = jdbc.urlOrDefault(config);
        if (jdbcUrl != null) {
            config = config.withJdbc(jdbcUrl, config.jdbcUser(), config.jdbcPassword());
        }
        if (!config.hasDatabase()) {
            err.println("geopigeon serve: refusing to start: no audit database configured.");
            err.println("  GeoPigeon records every geolocation request (who, when, why, pixel hashes) in an");
            err.println("  append-only PostGIS audit log and withholds any answer it cannot record: this is a");
            err.println("  dual-use tool (docs/ethics.md). Pass --jdbc jdbc:postgresql://HOST/DB?user=U or set");
            err.println("  GEOPIGEON_JDBC_URL (setup: docs/postgis.md, docs/service.md).");
            err.flush();
            return 2;
        }
        ServerSettings settings;
        try {
            config = config.withModel(modelSettings(config.model()));
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            err.println("geopigeon serve: " + e.getMessage());
            err.flush();
            return 2;
        }
        String queueNote = maxQueuedNote(settings);
        if (queueNote != null) {
            err.println(queueNote);
            err.flush();
        }
        try {
            ListenAddress.check(settings.bind(), settings.port()); // before the database and the model (costly)
        } catch (IOException e) {
            err.println("geopigeon serve: cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                    + e.getMessage());
            err.flush();
            return 1;
        }
        DataSource dataSource = config.dataSource();
        String dbProblem = checkDatabase(dataSource, config.migrate());
        if (dbProblem != null) {
            err.println("geopigeon serve: refusing to start: the audit database " + redact(config.jdbcUrl())
                    + " is not usable: " + dbProblem);
            err.flush();
            return 3;
        }
        Path bundleDir = bundle.dir(); // the option, else what config.bundle() resolves to (BundleLocator)
        try (ModelBundle model = ModelBundle.load(bundleDir, config.model().precision())) {
            err.println("backbone: " + model.backbone().precision() + " on " + model.backbone().device() + " ("
                    + model.precisionReason() + ")" + (config.model().microBatching() ? "; micro-batches of up to "
                    + config.model().microBatch() + " images within " + config.model().microBatchWait().toMillis()
                    + " ms" : ""));
            Boundaries background = Boundaries.locate(boundaries, home(), Path.of("").toAbsolutePath(),
                    ServedModel.of(model).geocellFile());
            return serve(settings, config.limits(), config.model(), model, dataSource, redact(config.jdbcUrl()),
                    background, err);
        } catch (BundleException e) {
            err.println("geopigeon serve: cannot load model bundle " + bundleDir + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("geopigeon serve: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * The model settings: the environment's ({@code geopigeon.precision}, {@code geopigeon.microBatch}, ...) with the
     * command-line options over them.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    ModelSettings modelSettings(ModelSettings fromEnvironment) {
        ModelSettings m = fromEnvironment;
        if (precision.choice() != null) {
            m = m.withPrecision(precision.choice()); // parsed by the mixin: an unknown value is a usage error
        }
        if (fixedPrecision) {
            m = m.withPerRequest(false);
        }
        if (microBatch != null && (microBatch < 0 || microBatch > ModelSettings.MAX_MICRO_BATCH)) {
            throw new IllegalArgumentException("--micro-batch must be 0 (off) to " + ModelSettings.MAX_MICRO_BATCH
                    + ", got " + microBatch);
        }
        if (microBatchWaitMs != null && (microBatchWaitMs < 0 || microBatchWaitMs > 10_000)) {
            throw new IllegalArgumentException("--micro-batch-wait-ms must be 0-10000, got " + microBatchWaitMs);
        }
        return m.withMicroBatch(microBatch != null ? microBatch : m.microBatch(),
                microBatchWaitMs != null ? Duration.ofMillis(microBatchWaitMs) : m.microBatchWait());
    }

    /**
     * The start-up note when {@code --max-queued} is below the inference slots and was raised to them (every running
     * geolocation holds a place in the queue, so fewer places would leave slots idle); null when it was not.
     */
    String maxQueuedNote(ServerSettings settings) {
        if (settings.maxQueued() <= maxQueued) {
            return null;
        }
        return "NOTE: --max-queued " + maxQueued + " is below the " + settings.maxConcurrent() + " inference slots"
                + " (geopigeon.maxConcurrent): up to " + settings.maxQueued() + " geolocations run or wait at once.";
    }

    /** @throws IllegalArgumentException naming the option that is wrong */
    ServerSettings settings(GeoPigeonConfig config) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("--max-queued must be at least 1, got " + maxQueued);
        }
        if (maxUploadMb < 1 || maxUploadMb > 1024) {
            throw new IllegalArgumentException("--max-upload-mb must be 1-1024, got " + maxUploadMb);
        }
        if (noAuth && !isLoopback(bind)) {
            throw new IllegalArgumentException("--no-auth is allowed only when listening on loopback (127.0.0.1 or"
                    + " ::1), not on " + bind + ": anyone on the network could locate photos and read every"
                    + " prediction; create tokens with 'geopigeon token create' instead");
        }
        if (jobRetentionHours < 1 || readTimeout < 1 || headerTimeout < 1 || minUploadRate < 0) {
            throw new IllegalArgumentException("--job-retention-hours, --read-timeout and --header-timeout must be"
                    + " at least 1, --min-upload-rate at least 0");
        }
        long image = maxUploadMb * 1024L * 1024L;
        ServerSettings.Builder b = ServerSettings.defaults().toBuilder()
                .bind(bind).port(port).authMode(noAuth ? AuthMode.LOOPBACK_ONLY : AuthMode.REQUIRED)
                .trustProxyUser(trustProxyUser).proxyRole(Role.parse(proxyRole)).publicUrl(publicUrl)
                .maxImageBytes(image).maxPixels(config.maxImagePixels()).maxConcurrent(config.inferenceSlots())
                .busyWait(config.busyWait())
                .storeDefault(config.storeDefault()).maxQueued(Math.max(maxQueued, config.inferenceSlots()))
                .threads(Math.max(64, Math.max(maxQueued, config.inferenceSlots()) + 16)).asyncQueue(asyncQueue)
                .readTimeout(Duration.ofSeconds(readTimeout)).headerTimeout(Duration.ofSeconds(headerTimeout))
                .minDataRate(minUploadRate * 1024L).jobRetention(Duration.ofHours(jobRetentionHours))
                .allowedHrefHosts(allowHrefHosts == null ? java.util.Set.of() : new LinkedHashSet<>(allowHrefHosts))
                .echoProcess(echo).basemap(basemapUrl, basemapAttribution);
        if (maxBufferedMb != null) {
            b.maxBufferedBytes(maxBufferedMb * 1024L * 1024L);
        }
        return b.build();
    }

    private int serve(ServerSettings settings, ServiceLimits limits, ModelSettings modelSettings, ModelBundle model,
                      DataSource dataSource, String auditDb, Boundaries background, PrintWriter err) throws IOException {
        PrintStream log = System.err;
        GeoPigeonServer server;
        try {
            // Migrations were applied by checkDatabase: the service needs no DDL rights from here on.
            server = GeoPigeonServer.start(settings, limits, model, modelSettings, dataSource, false, background, log);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "geopigeon-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        BundleOption.warnIfUntrained(model, err, "predictions carry no geographic information");
        if (!isLoopback(settings.bind())) {
            err.println("WARNING: listening on " + settings.bind() + ", not only this machine: put TLS in front"
                    + " (a reverse proxy), since API tokens travel in request headers (docs/service.md).");
        }
        if (settings.authMode() == AuthMode.LOOPBACK_ONLY) {
            err.println("NOTE: --no-auth: every request acts as '" + System.getProperty("user.name") + "' (admin) and"
                    + " is recorded so in the audit log.");
        } else if (activeTokens(dataSource) == 0 && !settings.trustProxyUser()) {
            err.println("NOTE: no API tokens exist yet: create one with"
                    + " './geopigeon token create --name NAME --role analyst' (the viewer asks for it).");
        }
        err.println("GeoPigeon " + model.name() + " serving OGC API - Processes at " + server.uri() + " (viewer "
                + server.uri() + "viewer/); boundaries: " + background.kind() + " (" + background.file()
                + "); audit log: " + auditDb + ". Ctrl-C stops.");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }

    private static long activeTokens(DataSource ds) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM geopigeon.api_tokens WHERE revoked IS NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** @return null when the database answers and has (or now has) the schema, else the problem */
    static String checkDatabase(DataSource dataSource, boolean migrate) {
        try (Connection c = dataSource.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            // The words every command uses (no such database, login refused, connection refused); else the driver's.
            String reason = StoreException.reason(e);
            return "database error".equals(reason) ? e.getMessage() : reason;
        }
        if (migrate) {
            try {
                Migrations.apply(dataSource);
            } catch (RuntimeException e) {
                return "schema migration failed: " + e.getMessage();
            }
        }
        return null;
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Path home() {
        String h = System.getProperty(BundleLocator.HOME_PROPERTY);
        return h == null || h.isBlank() ? null : Path.of(h);
    }

    /** The JDBC URL without password parameters, for messages. */
    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
