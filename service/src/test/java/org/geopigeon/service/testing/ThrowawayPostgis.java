package org.geopigeon.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL + PostGIS server for tests, started once per test JVM and removed when the JVM
 * exits. Tests never mock the database.
 *
 * <p>If the environment variable {@value #ENV} holds a JDBC URL (with user and password, e.g.
 * {@code jdbc:postgresql://localhost:5432/postgres?user=postgres&password=x}), that server is used and
 * each {@link #createDatabase} makes a new database on it. Otherwise a private cluster is
 * initdb'ed into a temporary folder with the PostgreSQL 15 binaries (as the {@code postgres} OS user
 * when running as root, because initdb refuses root) and started on a free port of 127.0.0.1.
 * If PostGIS is not installed the first call fails with a message saying how to install it.
 *
 * <p>Other modules depend on {@code geopigeon-service} with {@code <type>test-jar</type>} to use it.
 *
 * <p>Fault tests that stop, restart or freeze the server must not disturb the shared one: they take a
 * cluster of their own with {@link #startPrivate()} (skipping when {@link #canStartPrivate()} is false).
 */
public final class ThrowawayPostgis implements AutoCloseable {

    public static final String ENV = "GEOPIGEON_TEST_JDBC";
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final Path POSTGIS_CONTROL = Path.of("/usr/share/postgresql/15/extension/postgis.control");

    private final String adminUrl;
    /** Cluster folder (data/, server.log, socket), or null for an external server. */
    private final Path folder;
    /** Port of a private cluster (0 for an external server). */
    private final int port;
    /** pg_ctl and initdb run as the postgres OS user when the tests run as root. */
    private final boolean asPostgres;
    private final AtomicInteger databases = new AtomicInteger();
    private String migratedTemplate;

    private ThrowawayPostgis(String adminUrl, Path folder, int port, boolean asPostgres) {
        this.adminUrl = adminUrl;
        this.folder = folder;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Lazy holder: the server starts on first use, once per JVM. */
    private static final class Holder {
        static final ThrowawayPostgis INSTANCE = start();
    }

    /** The shared server; starts it on first call. */
    public static ThrowawayPostgis get() {
        return Holder.INSTANCE;
    }

    /** JDBC URL (user and password included) of the maintenance database. */
    public String adminUrl() {
        return adminUrl;
    }

    /** True when this machine can run a private cluster ({@link #startPrivate()}): PostgreSQL 15 and PostGIS installed. */
    public static boolean canStartPrivate() {
        return Files.isExecutable(PG_BIN.resolve("initdb")) && Files.isRegularFile(POSTGIS_CONTROL);
    }

    /**
     * A cluster of the caller's own, for tests that stop, restart or freeze the server. Close it when done
     * (it is also removed when the JVM exits).
     *
     * @throws IllegalStateException when PostgreSQL 15 or PostGIS is not installed
     */
    public static ThrowawayPostgis startPrivate() {
        requireInstalled();
        try {
            return startPrivateCluster();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a private throwaway PostgreSQL cluster", e);
        }
    }

    /**
     * A new database on which PostGIS is NOT installed (copied from {@code template0}), as a new user's
     * database looks before GeoPigeon's migrations run.
     */
    public TestDatabase createDatabaseWithoutPostgis(String prefix) {
        return createFrom(prefix, "template0");
    }

    /** Stops a private cluster ({@code pg_ctl stop -m fast}); connections then fail until {@link #restart()}. */
    public void stop() {
        requirePrivate();
        try {
            run(asPostgres, folder, PG_BIN.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(),
                    "-m", "fast", "-w", "stop");
        } catch (IOException e) {
            throw new UncheckedIOException("pg_ctl stop failed", e);
        }
    }

    /** Starts a stopped private cluster again on the same port. */
    public void restart() {
        requirePrivate();
        try {
            pgCtlStart(asPostgres, folder, port);
        } catch (IOException e) {
            throw new UncheckedIOException("pg_ctl start failed", e);
        }
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the postmaster of a private cluster: new connections are accepted
     * by the kernel but never answered, as with a hung database host.
     */
    public void freezePostmaster(boolean frozen) {
        requirePrivate();
        try {
            long pid = Long.parseLong(Files.readAllLines(folder.resolve("data").resolve("postmaster.pid")).get(0).trim());
            run(false, folder, "kill", frozen ? "-STOP" : "-CONT", String.valueOf(pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal the postmaster", e);
        }
    }

    private void requirePrivate() {
        if (folder == null) {
            throw new IllegalStateException("only a private cluster (startPrivate) can be stopped or frozen");
        }
    }

    /** Stops and removes a private cluster. The shared one ({@link #get()}) is removed at JVM exit instead. */
    @Override
    public void close() {
        if (folder != null && this != Holder.INSTANCE) {
            if (Files.exists(folder.resolve("data").resolve("postmaster.pid"))) {
                freezePostmaster(false); // a frozen server would ignore the stop
            }
            stopAndDelete(asPostgres, folder, folder.resolve("data"));
        }
    }

    /** A new, empty database with the postgis extension, named {@code prefix_N_pid}. */
    public TestDatabase createDatabase(String prefix) {
        TestDatabase db = createFrom(prefix, null);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
        } catch (SQLException e) {
            throw new IllegalStateException("CREATE EXTENSION postgis failed in " + db.name()
                    + ": is PostGIS installed on the server? (" + e.getMessage() + ")", e);
        }
        return db;
    }

    /**
     * A new database with the GeoPigeon schema applied by {@link org.geopigeon.service.store.Migrations}.
     * The first call migrates a template database; later calls copy it (much faster than migrating).
     */
    public TestDatabase createMigratedDatabase(String prefix) {
        return createFrom(prefix, migratedTemplate());
    }

    private synchronized String migratedTemplate() {
        if (migratedTemplate == null) {
            TestDatabase t = createDatabase("geopigeon_template");
            org.geopigeon.service.store.Migrations.apply(t.dataSource());
            migratedTemplate = t.name();
        }
        return migratedTemplate;
    }

    private TestDatabase createFrom(String prefix, String template) {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
                + databases.incrementAndGet() + "_" + ProcessHandle.current().pid());
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + redact(adminUrl), e);
        }
        return new TestDatabase(JdbcUrls.withDatabase(adminUrl, name));
    }

    private static ThrowawayPostgis start() {
        String external = System.getenv(ENV);
        if (external != null && !external.isBlank()) {
            return new ThrowawayPostgis(external.trim(), null, 0, false);
        }
        requireInstalled();
        try {
            return startPrivateCluster();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a throwaway PostgreSQL cluster", e);
        }
    }

    private static void requireInstalled() {
        if (!Files.isExecutable(PG_BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 is not installed: " + PG_BIN.resolve("initdb")
                    + " is missing. Install postgresql-15 and postgresql-15-postgis-3, or set " + ENV
                    + " to the JDBC URL of a PostGIS server.");
        }
        if (!Files.isRegularFile(POSTGIS_CONTROL)) {
            throw new IllegalStateException("PostGIS is not installed: " + POSTGIS_CONTROL + " is missing. Run "
                    + "`apt-get install -y postgresql-15-postgis-3`, or set " + ENV
                    + " to the JDBC URL of a PostGIS server.");
        }
    }

    private static ThrowawayPostgis startPrivateCluster() throws IOException {
        Path folder = Files.createTempDirectory("geopigeon-pg-");
        Path data = folder.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(folder, users.lookupPrincipalByName("postgres"));
        }
        run(root, folder, PG_BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(root, folder, data),
                "throwaway-postgis-stop"));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                pgCtlStart(root, folder, port);
                return new ThrowawayPostgis("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres",
                        folder, port, root);
            } catch (IOException e) {
                last = e; // port taken between the check and the start: try another
            }
        }
        throw last;
    }

    private static void pgCtlStart(boolean root, Path folder, int port) throws IOException {
        run(root, folder, PG_BIN.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(),
                "-l", folder.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-k " + folder + " -c listen_addresses=127.0.0.1 -p " + port
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + " -c max_connections=200",
                "start");
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (!listening(port)) {
                return port;
            }
        }
        throw new IOException("no free TCP port found on 127.0.0.1");
    }

    /** True when something accepts connections on 127.0.0.1:port. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stopAndDelete(boolean root, Path folder, Path data) {
        if (!Files.isDirectory(data)) {
            return; // already closed
        }
        try {
            run(root, folder, PG_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "stop");
        } catch (IOException e) {
            System.err.println("throwaway PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + folder + ": " + e.getMessage());
        }
    }

    private static void run(boolean asPostgres, Path folder, String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile("pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                String log = Files.readString(out, StandardCharsets.UTF_8);
                Path serverLog = folder.resolve("server.log");
                if (Files.isReadable(serverLog)) {
                    log += "\n--- server.log ---\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
                }
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public String toString() {
        return "ThrowawayPostgis[" + redact(adminUrl) + (folder == null ? "" : ", " + folder) + "]";
    }
}
