package org.geopigeon.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.model.DjlRuntime;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.DatabaseTimeouts;
import org.geopigeon.service.store.Migrations;

/**
 * Runtime settings, each from a Java system property or else an environment variable
 * (documented in docs/configuration.md, the one table of every setting):
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>property</th><th>environment</th><th>default</th></tr>
 *   <tr><td>geopigeon.bundle</td><td>GEOPIGEON_BUNDLE</td><td>sample-data/demo-bundle (see BundleLocator)</td></tr>
 *   <tr><td>geopigeon.jdbc.url</td><td>GEOPIGEON_JDBC_URL</td><td>none: requests are refused (nothing to audit to)</td></tr>
 *   <tr><td>geopigeon.jdbc.user</td><td>GEOPIGEON_JDBC_USER</td><td>from the URL</td></tr>
 *   <tr><td>geopigeon.jdbc.password</td><td>GEOPIGEON_JDBC_PASSWORD</td><td>from the URL</td></tr>
 *   <tr><td>geopigeon.jdbc.migrate</td><td>GEOPIGEON_JDBC_MIGRATE</td><td>true</td></tr>
 *   <tr><td>geopigeon.maxConcurrent</td><td>GEOPIGEON_MAX_CONCURRENT</td><td>2</td></tr>
 *   <tr><td>geopigeon.busyWaitMillis</td><td>GEOPIGEON_BUSY_WAIT_MILLIS</td><td>30000</td></tr>
 *   <tr><td>geopigeon.store</td><td>GEOPIGEON_STORE</td><td>true (default of the store input)</td></tr>
 *   <tr><td>geopigeon.maxImageBytes</td><td>GEOPIGEON_MAX_IMAGE_BYTES</td><td>26214400 (25 MiB) per image</td></tr>
 *   <tr><td>geopigeon.maxImagePixels</td><td>GEOPIGEON_MAX_IMAGE_PIXELS</td><td>80000000 per image (header)</td></tr>
 *   <tr><td>geopigeon.maxMegapixelsInFlight</td><td>GEOPIGEON_MAX_MEGAPIXELS_IN_FLIGHT</td><td>320, decoded pixels
 *       held by all requests at once</td></tr>
 *   <tr><td>geopigeon.jdbc.connectTimeoutSeconds</td><td>GEOPIGEON_JDBC_CONNECT_TIMEOUT_SECONDS</td><td>5</td></tr>
 *   <tr><td>geopigeon.jdbc.statementTimeoutSeconds</td><td>GEOPIGEON_JDBC_STATEMENT_TIMEOUT_SECONDS</td><td>5</td></tr>
 *   <tr><td>geopigeon.jdbc.lockTimeoutSeconds</td><td>GEOPIGEON_JDBC_LOCK_TIMEOUT_SECONDS</td><td>3</td></tr>
 *   <tr><td>geopigeon.audit.spoolDir</td><td>GEOPIGEON_AUDIT_SPOOL_DIR</td><td>~/.geopigeon/audit-spool</td></tr>
 *   <tr><td>geopigeon.precision</td><td>GEOPIGEON_PRECISION</td><td>auto (bf16 where the CPU or GPU runs it natively
 *       and the bundle has the variant, else fp32)</td></tr>
 *   <tr><td>geopigeon.precisionPerRequest</td><td>GEOPIGEON_PRECISION_PER_REQUEST</td><td>true: a request may ask for
 *       another precision the bundle has, loaded once on first use</td></tr>
 *   <tr><td>geopigeon.microBatch</td><td>GEOPIGEON_MICRO_BATCH</td><td>0 (off): most images per backbone pass when
 *       concurrent requests are grouped</td></tr>
 *   <tr><td>geopigeon.microBatchWaitMillis</td><td>GEOPIGEON_MICRO_BATCH_WAIT_MILLIS</td><td>5</td></tr>
 * </table>
 *
 * @param bundle         model bundle folder
 * @param jdbcUrl        PostGIS database, or null when not configured
 * @param jdbcUser       user, or null to take it from the URL
 * @param jdbcPassword   password, or null
 * @param migrate        apply migrations before the first write
 * @param maxConcurrent  inferences at once
 * @param busyWait       wait for a free slot before refusing with BUSY
 * @param storeDefault   store predictions when the request does not say
 * @param maxImageBytes  largest encoded image, bytes ({@link ImageRules#maxBytes()})
 * @param maxImagePixels largest image its header may declare, pixels ({@link ImageRules#maxPixels()})
 * @param maxMegapixelsInFlight decoded megapixels held by all requests at once
 *                       ({@link ServiceLimits#maxPixelsInFlight()})
 * @param dbTimeouts     connect, statement and lock timeouts of every database session ({@link DatabaseTimeouts})
 * @param auditSpoolDir  root of the local audit spool, where audit rows of refusals wait while the database
 *                       cannot take them ({@link AuditSpool})
 * @param model          backbone precision, per-request precisions and micro-batching ({@link ModelSettings})
 */
public record GeoPigeonConfig(Path bundle, String jdbcUrl, String jdbcUser, String jdbcPassword, boolean migrate,
                              int maxConcurrent, Duration busyWait, boolean storeDefault, long maxImageBytes,
                              long maxImagePixels, long maxMegapixelsInFlight, DatabaseTimeouts dbTimeouts,
                              Path auditSpoolDir, ModelSettings model) {

    public GeoPigeonConfig {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("geopigeon.maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (busyWait.isNegative()) {
            throw new IllegalArgumentException("geopigeon.busyWaitMillis must not be negative: " + busyWait);
        }
        if (maxImageBytes < 1 || maxImageBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("geopigeon.maxImageBytes must be 1.." + (Integer.MAX_VALUE - 16)
                    + ", got " + maxImageBytes);
        }
        if (maxImagePixels < (long) ImageRules.DEFAULT_MIN_SIDE * ImageRules.DEFAULT_MIN_SIDE) {
            throw new IllegalArgumentException("geopigeon.maxImagePixels must be at least "
                    + ImageRules.DEFAULT_MIN_SIDE * ImageRules.DEFAULT_MIN_SIDE + ", got " + maxImagePixels);
        }
        if (maxMegapixelsInFlight * 1_000_000L < maxImagePixels) {
            throw new IllegalArgumentException("geopigeon.maxMegapixelsInFlight (" + maxMegapixelsInFlight
                    + ") must hold at least one image of geopigeon.maxImagePixels (" + maxImagePixels + " pixels)");
        }
        java.util.Objects.requireNonNull(dbTimeouts, "dbTimeouts");
        java.util.Objects.requireNonNull(auditSpoolDir, "auditSpoolDir");
        java.util.Objects.requireNonNull(model, "model");
    }

    /** The settings before model settings existed: auto precision, other precisions per request, no micro-batching. */
    public GeoPigeonConfig(Path bundle, String jdbcUrl, String jdbcUser, String jdbcPassword, boolean migrate,
                           int maxConcurrent, Duration busyWait, boolean storeDefault, long maxImageBytes,
                           long maxImagePixels, long maxMegapixelsInFlight, DatabaseTimeouts dbTimeouts,
                           Path auditSpoolDir) {
        this(bundle, jdbcUrl, jdbcUser, jdbcPassword, migrate, maxConcurrent, busyWait, storeDefault, maxImageBytes,
                maxImagePixels, maxMegapixelsInFlight, dbTimeouts, auditSpoolDir, ModelSettings.DEFAULT);
    }

    /** The settings before the image limits, timeouts and spool existed; those take their defaults. */
    public GeoPigeonConfig(Path bundle, String jdbcUrl, String jdbcUser, String jdbcPassword, boolean migrate,
                           int maxConcurrent, Duration busyWait, boolean storeDefault) {
        this(bundle, jdbcUrl, jdbcUser, jdbcPassword, migrate, maxConcurrent, busyWait, storeDefault,
                ImageRules.DEFAULT_MAX_BYTES, ImageRules.DEFAULT_MAX_PIXELS,
                ServiceLimits.DEFAULT_MAX_PIXELS_IN_FLIGHT / 1_000_000, DatabaseTimeouts.DEFAULT,
                AuditSpool.defaultRoot(System::getProperty, System::getenv));
    }

    /** From this JVM's system properties and environment. */
    public static GeoPigeonConfig fromEnvironment() {
        return from(System::getProperty, System::getenv);
    }

    /**
     * Settings from the given lookups: each {@code geopigeon.x.y} system property, else the environment variable of
     * the same name in upper case with dots and camel-case humps as underscores ({@code geopigeon.jdbc.url}: {@code
     * GEOPIGEON_JDBC_URL}); blank counts as unset and takes the default (docs/configuration.md lists every setting).
     * Functions rather than {@code System} so tests pass their own maps.
     *
     * @throws IllegalArgumentException naming the setting when a value cannot be parsed (an integer, a true/false)
     */
    public static GeoPigeonConfig from(UnaryOperator<String> properties, UnaryOperator<String> env) {
        // The engine's own settings (threads, device, images per pass) are read when the engine starts; checked here
        // too so that every front end refuses a bad one at start-up with the same message.
        DjlRuntime.checkSettings(properties);
        Settings s = new Settings(properties, env);
        return new GeoPigeonConfig(
                BundleLocator.resolve(s.get("geopigeon.bundle"), properties, env, Path.of("").toAbsolutePath()),
                s.get("geopigeon.jdbc.url"), s.get("geopigeon.jdbc.user"), s.get("geopigeon.jdbc.password"),
                s.bool("geopigeon.jdbc.migrate", true),
                s.integer("geopigeon.maxConcurrent", 2),
                Duration.ofMillis(s.integer("geopigeon.busyWaitMillis", 30_000)),
                s.bool("geopigeon.store", true),
                s.longValue("geopigeon.maxImageBytes", ImageRules.DEFAULT_MAX_BYTES),
                s.longValue("geopigeon.maxImagePixels", ImageRules.DEFAULT_MAX_PIXELS),
                s.longValue("geopigeon.maxMegapixelsInFlight", ServiceLimits.DEFAULT_MAX_PIXELS_IN_FLIGHT / 1_000_000),
                timeouts(s),
                AuditSpool.defaultRoot(properties, env),
                model(s));
    }

    private static ModelSettings model(Settings s) {
        String p = s.get(PrecisionChoice.PROPERTY);
        PrecisionChoice precision;
        try {
            precision = p == null ? PrecisionChoice.AUTO : PrecisionChoice.parse(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PrecisionChoice.PROPERTY + " (" + PrecisionChoice.ENVIRONMENT + "): "
                    + e.getMessage());
        }
        return new ModelSettings(precision, s.bool("geopigeon.precisionPerRequest", true),
                s.integer("geopigeon.microBatch", ModelSettings.DEFAULT.microBatch()),
                Duration.ofMillis(s.integer("geopigeon.microBatchWaitMillis",
                        (int) ModelSettings.DEFAULT_MICRO_BATCH_WAIT.toMillis())));
    }

    private static DatabaseTimeouts timeouts(Settings s) {
        DatabaseTimeouts d = DatabaseTimeouts.DEFAULT;
        return DatabaseTimeouts.ofSeconds(
                s.integer("geopigeon.jdbc.connectTimeoutSeconds", (int) d.connect().toSeconds()),
                s.integer("geopigeon.jdbc.statementTimeoutSeconds", (int) d.statement().toSeconds()),
                s.integer("geopigeon.jdbc.lockTimeoutSeconds", (int) d.lock().toSeconds()));
    }

    /** The same settings with another database ({@code --jdbc} of the CLI); null or blank url means none. */
    public GeoPigeonConfig withJdbc(String url, String user, String password) {
        return new GeoPigeonConfig(bundle, url, user, password, migrate, maxConcurrent, busyWait, storeDefault,
                maxImageBytes, maxImagePixels, maxMegapixelsInFlight, dbTimeouts, auditSpoolDir, model);
    }

    /** The same settings with other model settings (e.g. from {@code serve}'s command-line options). */
    public GeoPigeonConfig withModel(ModelSettings m) {
        return new GeoPigeonConfig(bundle, jdbcUrl, jdbcUser, jdbcPassword, migrate, maxConcurrent, busyWait,
                storeDefault, maxImageBytes, maxImagePixels, maxMegapixelsInFlight, dbTimeouts, auditSpoolDir, m);
    }

    /** The same settings with another bundle folder. */
    public GeoPigeonConfig withBundle(Path dir) {
        return new GeoPigeonConfig(dir, jdbcUrl, jdbcUser, jdbcPassword, migrate, maxConcurrent, busyWait,
                storeDefault, maxImageBytes, maxImagePixels, maxMegapixelsInFlight, dbTimeouts, auditSpoolDir, model);
    }

    /**
     * Inference slots: {@code maxConcurrent}, raised to the micro-batch size when micro-batching is on (requests
     * wait for their pass inside a slot, so fewer slots than the batch size would cap every batch at the slots).
     */
    public int inferenceSlots() {
        return model.microBatching() ? Math.max(maxConcurrent, model.microBatch()) : maxConcurrent;
    }

    /** The image rules of every front end: 32 px minimum side, and the byte and pixel limits above. */
    public ImageRules imageRules() {
        return new ImageRules(ImageRules.DEFAULT_MIN_SIDE, maxImagePixels, maxImageBytes);
    }

    /** What the audited service takes on at once (inference slots: {@link #inferenceSlots()}). */
    public ServiceLimits limits() {
        return new ServiceLimits(imageRules(), inferenceSlots(), busyWait, maxMegapixelsInFlight * 1_000_000L);
    }

    /**
     * True when a JDBC URL is set, so predictions can be stored and requests audited; front ends that must audit
     * refuse to start otherwise.
     */
    public boolean hasDatabase() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    /**
     * A data source whose sessions carry {@link #dbTimeouts()}.
     *
     * @throws IllegalStateException when no database is configured
     */
    public DataSource dataSource() {
        if (!hasDatabase()) {
            throw new IllegalStateException("no database configured: set geopigeon.jdbc.url (or GEOPIGEON_JDBC_URL)"
                    + " to a PostGIS JDBC URL; GeoPigeon records every request in its audit log and will not"
                    + " answer without it");
        }
        return Migrations.dataSource(jdbcUrl, jdbcUser, jdbcPassword, dbTimeouts);
    }

    @Override
    public String toString() {
        return "GeoPigeonConfig[bundle=" + bundle + ", jdbcUrl=" + jdbcUrl + ", user=" + jdbcUser
                + ", password=" + (jdbcPassword == null ? "none" : "***") + ", migrate=" + migrate
                + ", maxConcurrent=" + maxConcurrent + ", busyWait=" + busyWait + ", store=" + storeDefault
                + ", maxImageBytes=" + maxImageBytes + ", maxImagePixels=" + maxImagePixels
                + ", maxMegapixelsInFlight=" + maxMegapixelsInFlight
                + ", dbTimeouts=" + dbTimeouts + ", auditSpoolDir=" + auditSpoolDir + ", model=" + model + "]";
    }

    /** Property {@code geopigeon.a.bC} else environment {@code GEOPIGEON_A_B_C}. */
    private record Settings(UnaryOperator<String> properties, UnaryOperator<String> env) {

        String get(String property) {
            String v = properties.apply(property);
            if (v == null || v.isBlank()) {
                v = env.apply(envName(property));
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        static String envName(String property) {
            return property.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
        }

        boolean bool(String property, boolean dflt) {
            String v = get(property);
            if (v == null) {
                return dflt;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new IllegalArgumentException(property + " (" + envName(property)
                        + ") must be true or false, got '" + v + "'");
            };
        }

        long longValue(String property, long dflt) {
            String v = get(property);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " (" + envName(property) + ") must be an integer, got '"
                        + v + "'", e);
            }
        }

        int integer(String property, int dflt) {
            String v = get(property);
            if (v == null) {
                return dflt;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " (" + envName(property) + ") must be an integer, got '"
                        + v + "'", e);
            }
        }
    }
}
