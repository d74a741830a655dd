package org.geopigeon.app;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.ImageUpload;
import org.geopigeon.service.LoadedModel;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.RequestContext;
import org.geopigeon.service.ServiceLimits;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.ReplayResult;
import org.geopigeon.service.store.SpoolStatus;
import org.geopigeon.service.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code locate --store/--purpose}: a thin adapter. Each image (or panorama) goes undecoded to
 * {@link AuditedGeolocation}, the same service as the HTTP service's and the WPS process's, so it gets the same
 * checks, decoding, pixel hashes and one audit row (accepted, refused or failed) and, with --store, a stored
 * prediction.
 */
final class AuditedLocate {

    private final AuditedGeolocation service;
    private final String purpose;
    private final LocateOptions options;
    private final boolean store;
    private final PrintWriter err;

    /**
     * Checks the options before anything is loaded; bad options are picocli usage errors (exit 2).
     *
     * @return the configuration with {@code --jdbc} applied
     */
    static GeoPigeonConfig check(CommandLine cmd, GeoPigeonConfig config, String jdbcUrl, String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new ParameterException(cmd, "--store needs --purpose TEXT: say why you need these locations"
                    + " (recorded in the audit log)");
        }
        GeoPigeonConfig c = jdbcUrl == null ? config : config.withJdbc(jdbcUrl, config.jdbcUser(), config.jdbcPassword());
        if (!c.hasDatabase()) {
            throw new ParameterException(cmd, "--store/--purpose need a database: pass --jdbc URL or set"
                    + " GEOPIGEON_JDBC_URL");
        }
        return c;
    }

    /**
     * Applies the schema migrations once, before the model loads, when the configuration asks for it
     * ({@code GEOPIGEON_JDBC_MIGRATE}, on by default), so that a configuration error (a login that may not migrate,
     * a database that does not exist, a refused login) stops the run with one line instead of failing, and being
     * spooled as "database unavailable", once per image.
     *
     * @return {@link SchemaCheck#migrated()} when the migrations ran now (the service need not run them again);
     *         neither migrated nor a problem when migration is off or the database cannot be reached now (then each
     *         refusal waits in the local audit spool as before, and the service migrates with the first request);
     *         else the problem, in user words (no SQL, no class names)
     */
    static SchemaCheck prepareSchema(GeoPigeonConfig config) {
        if (!config.migrate()) {
            return new SchemaCheck(false, null);
        }
        try {
            Migrations.apply(config.dataSource());
            return new SchemaCheck(true, null);
        } catch (StoreException e) {
            return new SchemaCheck(false, e.unavailable() ? null : e.getMessage());
        }
    }

    /**
     * What {@link #prepareSchema} found.
     *
     * @param migrated true when the schema migrations were applied by this check
     * @param problem  the configuration problem that stops the run, in user words; null when there is none
     */
    record SchemaCheck(boolean migrated, String problem) {
    }

    /** {@link #check}, then connects the service. */
    static AuditedLocate create(CommandLine cmd, ModelBundle bundle, GeoPigeonConfig config, String jdbcUrl,
                                String purpose, LocateOptions options, boolean store, PrintWriter err) {
        return new AuditedLocate(bundle, check(cmd, config, jdbcUrl, purpose), purpose, options, store, err);
    }

    AuditedLocate(ModelBundle bundle, GeoPigeonConfig config, String purpose, LocateOptions options, boolean store,
                  PrintWriter err) {
        this(bundle, config, false, purpose, options, store, err);
    }

    /** @param schemaReady true when {@link #prepareSchema} already applied the migrations in this run */
    AuditedLocate(ModelBundle bundle, GeoPigeonConfig config, boolean schemaReady, String purpose,
                  LocateOptions options, boolean store, PrintWriter err) {
        LoadedModel model = LoadedModel.of(bundle);
        // One request at a time, nothing to wait for: the CLI is its only client.
        ServiceLimits limits = new ServiceLimits(config.imageRules(), 1, Duration.ZERO,
                config.limits().maxPixelsInFlight());
        this.service = new AuditedGeolocation(() -> model, config.dataSource(), config.migrate() && !schemaReady,
                limits);
        this.purpose = purpose;
        this.options = options;
        this.store = store;
        this.err = err;
    }

    /**
     * @param group one file, or the four views of a panorama
     * @throws GeolocationException when the request is refused or fails (audited when the database allowed it)
     */
    Located locate(List<Path> group) {
        return locate(group, null);
    }

    /**
     * @param group one file, or the four views of a panorama
     * @param files how the files are sent ({@link CliImages#upload}: the media type their bytes name, pipes from
     *              memory); null for plain file uploads
     * @throws GeolocationException when the request is refused or fails (audited when the database allowed it)
     */
    Located locate(List<Path> group, CliImages files) {
        List<ImageUpload> images = group.stream().map(f -> files == null ? ImageUpload.ofFile(f) : files.upload(f))
                .toList();
        LocateRequest request = new LocateRequest(images, purpose, options.topK(), store, RequestContext.localUser(),
                Map.of("interface", "cli"), options.refine());
        Located located = service.locate(request, StageListener.NONE);
        err.println(group.get(0) + ": audit row " + located.auditId()
                + (located.predictionId() == null ? "" : ", stored prediction " + located.predictionId()));
        err.flush();
        return located;
    }

    /**
     * Ends the run: refusals spooled while the database could not take them (STORE_FAILED and the like) are replayed
     * into the hash chain now if it is back, so the chain is complete and in order when the command returns; rows that
     * still wait are counted on stderr with the command that replays them ({@code geopigeon audit replay}, which the
     * service also does by itself). Closes the service.
     *
     * @param code the run's exit code so far (0 or 1)
     * @return {@code code}, or 1 when audit rows are left in the spool (the run did not leave the log complete)
     */
    int finish(int code) {
        try {
            AuditTrail trail = service.auditTrail();
            SpoolStatus status;
            String replayProblem = null;
            try {
                ReplayResult r = trail.replayPending();
                if (r.replayed() > 0) {
                    err.println("replayed " + rows(r.replayed()) + " from the local spool into the audit log"
                            + " (refusals recorded while the database was unavailable)");
                }
            } catch (StoreException | UncheckedIOException e) {
                replayProblem = e.getMessage();
            }
            try {
                status = trail.status();
            } catch (UncheckedIOException e) {
                err.println("error: cannot read the audit spool " + trail.spool().folder() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            int waiting = status.notInLog() == null ? status.rows() : status.notInLog();
            if (waiting > 0) {
                err.println("error: " + rows(waiting) + " of refused or failed requests wait in the local spool "
                        + status.folder() + " and are not yet in the audit log"
                        + (replayProblem == null ? "" : ": " + replayProblem)
                        + "; run 'geopigeon audit replay' once the database takes writes (a running service also"
                        + " replays them)");
                err.flush();
                return 1;
            }
            err.flush();
            return code;
        } finally {
            service.close();
        }
    }

    /** "1 audit row", "2 audit rows". */
    static String rows(int n) {
        return n + (n == 1 ? " audit row" : " audit rows");
    }
}
