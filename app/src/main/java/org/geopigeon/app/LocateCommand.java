package org.geopigeon.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.ImageRefusal;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.Located;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon locate}: predicts where photos were taken. Loads the model bundle once, then
 * locates the images (or panoramas of four views) in batches with {@link BatchLocator}, or one by one
 * through {@link AuditedLocate} with --store/--purpose; a bad file is reported on stderr and the rest
 * are still processed (exit code 1 when any failed). Both paths apply the service's one set of image rules
 * ({@link ImageRules}: bytes, type, header size, 32 px minimum), so the CLI accepts exactly what the HTTP
 * service and the WPS process accept.
 */
@Command(name = "locate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict where photos were taken.",
                "Prints a table, or with --json one JSON object per image (JSON Lines) on stdout; "
                        + "errors and progress go to stderr.",
                "With --json, \"file\" is the file name, or with --panorama the array of the four view files."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image was located", "1:some image failed, or the model bundle could not be loaded",
                "2:invalid command line, or a database configuration error with --store/--purpose (e.g. a login"
                        + " that may not migrate the schema: set GEOPIGEON_JDBC_MIGRATE=false)"})
final class LocateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BundleOption bundle;

    @Option(names = "--top-k", paramLabel = "N",
            description = "geocells to report per image, 1-" + LocateOptions.MAX_TOP_K + " (default: the bundle's)")
    Integer topK;

    @Option(names = "--panorama",
            description = "every 4 files are the views of one panorama (90 degrees apart); their embeddings are averaged")
    boolean panorama;

    @Option(names = "--no-refine", description = "skip retrieval refinement: report the top cell's centroid")
    boolean noRefine;

    @Mixin
    JsonOption json;

    @Option(names = "--store", description = "save each prediction in PostGIS with its audit row"
            + " (needs --purpose, and --jdbc or $GEOPIGEON_JDBC_URL)")
    boolean store;

    @Option(names = "--purpose", paramLabel = "TEXT", description = "why you need these locations; recorded in the"
            + " audit log, one row per image (with or without --store)")
    String purpose;

    @Mixin
    JdbcOption jdbc;

    @Mixin
    PrecisionOption precision;

    @Mixin
    DecodeThreadsOption decodeThreads;

    /** Strings, converted one by one ({@link CliFiles}): one unusable name must not stop the others. */
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JPEG, PNG or WebP images")
    List<String> fileArgs;

    /** The arguments as paths, with the names that cannot be opened. */
    private CliFiles cliFiles;
    private List<Path> files;

    /** Set when --store/--purpose route every request through the audited service. */
    private AuditedLocate audited;

    @Override
    public Integer call() {
        LocateOptions options = options();
        int perRequest = panorama ? Geolocator.PANORAMA_VIEWS : 1;
        if (fileArgs.size() % perRequest != 0) {
            throw new ParameterException(spec.commandLine(), "--panorama needs a multiple of "
                    + Geolocator.PANORAMA_VIEWS + " files (" + Geolocator.PANORAMA_VIEWS + " views per panorama), got "
                    + fileArgs.size());
        }
        int threads = decodeThreads.resolve(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        GeoPigeonConfig config;
        try {
            config = GeoPigeonConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new SettingException(spec.commandLine(), e.getMessage());
        }
        // Usage errors come before the model is loaded (seconds to minutes for a ViT-L bundle).
        GeoPigeonConfig auditConfig = store || purpose != null
                ? AuditedLocate.check(spec.commandLine(), config, jdbc.url, purpose) : null;
        AuditedLocate.SchemaCheck schema = auditConfig == null ? null : AuditedLocate.prepareSchema(auditConfig);
        if (schema != null && schema.problem() != null) {
            err.println("error: cannot use the database: " + schema.problem());
            return 2;
        }
        cliFiles = CliFiles.of(fileArgs);
        files = cliFiles.paths();
        Path bundleDir = bundle.dir();
        try (ModelBundle model = precision.load(bundleDir, err)) {
            BundleOption.warnIfUntrained(model, err, "predictions carry no geographic information");
            if (auditConfig != null) {
                audited = new AuditedLocate(model, auditConfig, schema.migrated(), purpose, options, store, err);
            }
            return locateAll(new Geolocator(model), options, new CliImages(config.imageRules()),
                    model.manifest().trained(), out, err, perRequest, threads);
        } catch (BundleException e) {
            err.println("error: cannot load model bundle " + bundleDir + ": " + e.getMessage());
            return 1;
        }
    }

    private LocateOptions options() {
        try {
            return new LocateOptions(topK, noRefine ? Boolean.FALSE : null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--top-k: " + e.getMessage());
        }
    }

    private int locateAll(Geolocator geolocator, LocateOptions options, CliImages rules, boolean trained,
                          PrintWriter out, PrintWriter err, int perRequest, int threads) {
        ResultPrinter printer = new ResultPrinter(out, err, files, panorama, json.json, perRequest, trained);
        if (audited == null) {
            BatchLocator batches = new BatchLocator(geolocator, options, perRequest, threads, rules::decodeScreened);
            // Files that break a rule are reported in their place; the runs between them are batched.
            BatchLocator.Stats stats = BatchLocator.Stats.NONE;
            List<Path> run = new ArrayList<>();
            for (int start = 0; start < files.size(); start += perRequest) {
                List<Path> group = files.subList(start, start + perRequest);
                ImageRefusal refusal = screen(rules, start, perRequest);
                if (refusal == null) {
                    run.addAll(group);
                    continue;
                }
                if (!run.isEmpty()) {
                    stats = stats.plus(batches.locateAll(List.copyOf(run), printer));
                    run.clear();
                }
                printer.failed(group, refusal);
            }
            if (!run.isEmpty()) {
                stats = stats.plus(batches.locateAll(run, printer));
            }
            int code = printer.finish();
            if (stats.requests() > 1) {
                // Per-stage totals: decoding on the decode threads overlaps the backbone, so the stages add up to
                // more than the wall time.
                err.println(stats.summary(panorama ? "panoramas" : "images"));
                err.flush();
            }
            return code;
        }
        // One audited request per image or panorama, failing closed: never batched.
        for (int start = 0; start < files.size(); start += perRequest) {
            List<Path> group = files.subList(start, start + perRequest);
            ImageRefusal badName = nameRefusal(start, perRequest);
            if (badName != null) {
                // Nothing can be read, so there is nothing to audit (no pixels, no request reached the service).
                printer.failed(group, badName);
                continue;
            }
            Located located;
            try {
                located = audited.locate(group, rules);
            } catch (GeolocationException e) {
                printer.failed(group, e);
                continue;
            }
            printer.located(group, located.result());
        }
        int code = printer.finish();
        return audited.finish(code);
    }

    /** The refusal of the first unusable file name in a group, or null. */
    private ImageRefusal nameRefusal(int start, int count) {
        for (int i = start; i < start + count; i++) {
            if (cliFiles.refusal(i) != null) {
                return cliFiles.refusal(i);
            }
        }
        return null;
    }

    /** The service's image rules on a group's files (bytes, type, header; nothing decoded); null when all pass. */
    private ImageRefusal screen(CliImages rules, int start, int count) {
        ImageRefusal badName = nameRefusal(start, count);
        if (badName != null) {
            return badName;
        }
        for (Path file : files.subList(start, start + count)) {
            try {
                rules.screen(file);
            } catch (ImageRefusal r) {
                return r;
            }
        }
        return null;
    }
}
