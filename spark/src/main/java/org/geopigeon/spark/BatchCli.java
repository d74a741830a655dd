package org.geopigeon.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.GeoPigeonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon batch}: batch locate on Spark ({@link BatchLocateJob}); {@code geopigeon batch gallery}:
 * gallery building on Spark ({@link GalleryJob}). The main class for {@code ./geopigeon batch} (local
 * mode) and for {@code spark-submit --class org.geopigeon.spark.BatchCli} on a cluster.
 */
@Command(name = "geopigeon batch", mixinStandardHelpOptions = true, sortOptions = false, version = "GeoPigeon 0.1.0",
        subcommands = {BatchCli.GalleryCommand.class},
        description = {"Geolocate every image under Hadoop paths or globs on Apache Spark; write GeoParquet (point"
                + " geometry, EPSG:4326), one row per file, and one audit row per file in the PostGIS audit log.",
                "Progress goes to stderr, the summary to stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image was located", "1:some image has no estimate (see error_code), or the job"
                + " could not run", "2:invalid command line"})
public final class BatchCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--input", paramLabel = "PATH", description = "folder, file or glob on any Hadoop file system"
            + " (file:, hdfs:, s3a:, ...); repeatable")
    List<String> inputs;

    @Option(names = "--out", paramLabel = "PATH", description = "output folder for the GeoParquet (must not exist)")
    String out;

    @Option(names = "--purpose", paramLabel = "TEXT", description = "why you need these locations (required;"
            + " recorded with every image in the audit log)")
    String purpose;

    @Option(names = "--principal", paramLabel = "NAME", description = "who is accountable (default: the Spark user)")
    String principal;

    @Option(names = "--job-id", paramLabel = "ID", description = "reuse the id of a failed job to finish it without"
            + " repeating its audit rows (default: a new random id)")
    String jobId;

    @Option(names = "--jdbc", paramLabel = "URL", description = "PostGIS JDBC URL of the audit log (default:"
            + " $GEOPIGEON_JDBC_URL); required")
    String jdbc;

    @Option(names = "--store", description = "also store every prediction in the PostGIS tables (predictions,"
            + " prediction_cells) the other front ends write")
    boolean store;

    @Option(names = "--top-k", paramLabel = "N", description = "geocells per image, 1-50 (default: the bundle's)")
    Integer topK;

    @Option(names = "--no-refine", description = "skip retrieval refinement: report the top cell's centroid")
    boolean noRefine;

    /** Runs the command and exits with its code (0 all located, 1 failures, 2 usage). */
    public static void main(String[] args) {
        BatchLogging logging = BatchLogging.configure(args);
        int code = run(args);
        logging.finish(System.err);
        System.exit(code);
    }

    /** Runs the command; returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new BatchCli()).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter err = cmd.getErr();
        if (inputs == null || inputs.isEmpty() || out == null) {
            throw new ParameterException(cmd, "--input PATH and --out PATH are required");
        }
        if (purpose == null || purpose.isBlank()) {
            throw new ParameterException(cmd, "--purpose TEXT is required: say why you need these locations"
                    + " (recorded with every image in the audit log)");
        }
        if (topK != null && (topK < 1 || topK > 50)) {
            throw new ParameterException(cmd, "--top-k must be between 1 and 50, got " + topK);
        }
        GeoPigeonConfig config = GeoPigeonConfig.fromEnvironment();
        String url = jdbc != null ? jdbc : config.jdbcUrl();
        if (url == null || url.isBlank()) {
            throw new ParameterException(cmd, "a database is required: every image gets an audit row. Pass --jdbc URL"
                    + " or set GEOPIGEON_JDBC_URL");
        }
        try {
            spark.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage());
        }
        SparkSession session = SparkSessions.create("geopigeon batch locate", spark.master, spark.conf);
        try {
            SparkContext sc = session.sparkContext();
            String who = principal != null && !principal.isBlank() ? principal : sc.sparkUser();
            BatchSettings settings = new BatchSettings(jobId != null ? jobId : UUID.randomUUID().toString(), purpose, who,
                    sc.sparkUser(), sc.isLocal() ? "local" : sc.getConf().get("spark.driver.host", "unknown"), BundleRef.shared(spark.bundleDir()),
                    spark.precision, topK, noRefine ? Boolean.FALSE : null, spark.maxBytes, ImageRules.DEFAULT_MAX_PIXELS,
                    JdbcTarget.of(url, config.jdbcUser(), config.jdbcPassword(), config.dbTimeouts()), null, null);
            Path bundleDir = spark.bundleDir();
            BatchSummary summary = new BatchLocateJob(session, line -> {
                err.println(line);
                err.flush();
            }).run(new BatchLocateJob.Spec(inputs, spark.recursive, out, bundleDir, spark.shipBundle(sc.isLocal()),
                    store, config.migrate()), settings);
            cmd.getOut().println(summary.describe());
            cmd.getOut().flush();
            return summary.failed() == 0 ? 0 : 1;
        } catch (BatchException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            session.stop();
        }
    }

    /** {@code geopigeon batch gallery}. */
    @Command(name = "gallery", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Embed geotagged photos on Spark into a gallery file for `geopigeon train --gallery`"
                    + " (the embedding step of train --photos).",
                    "Locations come from --locations, else from each photo's EXIF GPS."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:gallery written", "1:no usable photo, or the job could not run (nothing written)",
                    "2:invalid command line"})
    static final class GalleryCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        SparkOptions spark;

        @Option(names = "--input", paramLabel = "PATH", required = true, description = "photo folder, file or glob on"
                + " any Hadoop file system; repeatable")
        List<String> inputs;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "gallery file to write on the"
                + " driver (safetensors; must not exist)")
        Path out;

        @Option(names = "--locations", paramLabel = "CSV", description = "file,lat,lon per photo (file relative to the"
                + " one --input folder) instead of EXIF GPS")
        Path locations;

        @Option(names = "--f32", description = "store embeddings as float32 (default float16, as train --save-gallery)")
        boolean f32;

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            PrintWriter err = cmd.getErr();
            try {
                spark.validate();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cmd, e.getMessage());
            }
            SparkSession session = SparkSessions.create("geopigeon batch gallery", spark.master, spark.conf);
            try {
                GalleryJob.Result r = new GalleryJob(session, line -> {
                    err.println(line);
                    err.flush();
                }).run(new GalleryJob.Spec(inputs, spark.recursive, locations, spark.bundleDir(),
                        spark.shipBundle(session.sparkContext().isLocal()), out, !f32, spark.maxBytes), spark.precision);
                cmd.getOut().println(r.describe(out));
                cmd.getOut().flush();
                return 0;
            } catch (BatchException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } finally {
                session.stop();
            }
        }
    }
}
