package org.geopigeon.app.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.ServiceLimits;
import org.geopigeon.service.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon serve}: the HTTP API and map viewer for people without GeoServer. Refuses to start
 * without a reachable audit database: answers are only given once their audit row is written.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the GeoPigeon HTTP service: JSON/GeoJSON API under /api/v1/ and a map viewer at /.",
                "Every request is recorded in the PostGIS audit log (docs/ethics.md); without a database the"
                        + " service does not start. See docs/service.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally", "1:model bundle or boundaries could not be loaded, or the port is taken",
                "2:invalid command line or no audit database configured", "3:audit database unreachable"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default 8080)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServerSettings.DEFAULT_BIND,
            description = "address to listen on (default 127.0.0.1: only this machine; put a reverse proxy with"
                    + " authentication and TLS in front for others)")
    String bind;

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "model bundle folder (default: $GEOPIGEON_BUNDLE, else sample-data/demo-bundle)")
    String bundle;

    @Option(names = "--jdbc", paramLabel = "URL", description = "PostGIS JDBC URL for the audit log and stored"
            + " predictions (default: $GEOPIGEON_JDBC_URL; user/password: $GEOPIGEON_JDBC_USER/_PASSWORD or the URL)")
    String jdbc;

    @Option(names = "--trust-proxy-user", description = "take the user name recorded in the audit log from the"
            + " X-Remote-User header; only behind a reverse proxy that authenticates users and sets it")
    boolean trustProxyUser;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "25",
            description = "largest request body in MiB (default 25; larger uploads get 413)")
    int maxUploadMb;

    @Option(names = "--boundaries", paramLabel = "FILE", description = "country outlines GeoJSON for the viewer"
            + " (default: sample-data/boundaries/countries.geojson, else the model's geocells)")
    Path boundaries;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        GeoPigeonConfig config = GeoPigeonConfig.fromEnvironment();
        if (jdbc != null) {
            config = config.withJdbc(jdbc, config.jdbcUser(), config.jdbcPassword());
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
        if (maxUploadMb < 1 || maxUploadMb > 1024) {
            err.println("geopigeon serve: --max-upload-mb must be 1-1024, got " + maxUploadMb);
            err.flush();
            return 2;
        }
        ServerSettings settings;
        try {
            settings = new ServerSettings(bind, port, trustProxyUser, maxUploadMb * 1024L * 1024L,
                    config.maxImagePixels(), config.maxConcurrent(), config.busyWait(),
                    config.storeDefault(), config.maxConcurrent() + 6);
        } catch (IllegalArgumentException e) {
            err.println("geopigeon serve: " + e.getMessage());
            err.flush();
            return 2;
        }
        DataSource dataSource = config.dataSource();
        String dbProblem = checkDatabase(dataSource, config.migrate());
        if (dbProblem != null) {
            err.println("geopigeon serve: refusing to start: the audit database " + redact(config.jdbcUrl())
                    + " is not usable: " + dbProblem);
            err.flush();
            return 3;
        }
        Path bundleDir = bundle != null ? BundleLocator.resolve(bundle) : config.bundle();
        try (ModelBundle model = ModelBundle.load(bundleDir)) {
            Boundaries background = Boundaries.locate(boundaries, home(), Path.of("").toAbsolutePath(),
                    ServedModel.of(model).geocellFile());
            return serve(settings, config.limits(), model, dataSource, redact(config.jdbcUrl()), background, err);
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

    private int serve(ServerSettings settings, ServiceLimits limits, ModelBundle model, DataSource dataSource,
                      String auditDb, Boundaries background, PrintWriter err) throws IOException {
        PrintStream log = System.err;
        GeoPigeonServer server;
        try {
            // Migrations were applied by checkDatabase: the service needs no DDL rights from here on.
            server = GeoPigeonServer.start(settings, limits, model, dataSource, false, background, log);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "geopigeon-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!model.manifest().trained()) {
            err.println("WARNING: model '" + model.name() + "' is untrained demo weights: predictions carry no"
                    + " geographic information");
        }
        if (!isLoopback(settings.bind())) {
            err.println("WARNING: listening on " + settings.bind() + ", not only this machine. The service has no"
                    + " authentication of its own: put it behind a reverse proxy with authentication and TLS"
                    + (settings.trustProxyUser() ? "" : ", and use --trust-proxy-user so users are named in the"
                    + " audit log") + " (docs/service.md).");
        }
        err.println("GeoPigeon " + model.name() + " serving at " + server.uri() + " (map viewer), API "
                + server.uri() + "api/v1/ ; boundaries: " + background.kind() + " (" + background.file()
                + "); audit log: " + auditDb
                + ". Ctrl-C stops.");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }

    /** @return null when the database answers and has (or now has) the schema, else the problem */
    static String checkDatabase(DataSource dataSource, boolean migrate) {
        try (Connection c = dataSource.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            return e.getMessage();
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

    private static boolean isLoopback(String address) {
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
