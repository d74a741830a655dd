package org.geopigeon.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.PredictionStore;
import org.geopigeon.service.store.StoreException;

/**
 * Batch locate on Spark: files under a Hadoop path or glob in, one GeoParquet row per file out, one
 * audit row per file in the PostGIS hash-chained log (and optionally the prediction tables the other
 * front ends write). See {@link PartitionLocator} for the task and {@link LocateRows} for the output.
 *
 * <p>On the driver: check the output folder is free, migrate the schema, validate the bundle (loading it
 * once, which in local mode is also the executors' copy), register the model when storing, ship the
 * bundle when asked, run the job with a progress line per partition, and summarise from the output.
 */
public final class BatchLocateJob {

    /**
     * Where the job reads and writes.
     *
     * @param inputs     Hadoop paths or globs of the images
     * @param recursive  also read sub-folders
     * @param out        output folder for the GeoParquet (must not exist)
     * @param bundleDir  the model bundle folder on the driver (and, unless shipped, on every node)
     * @param shipBundle copy the bundle to every executor with {@code SparkContext.addFile}
     * @param store      also store each prediction in the PostGIS tables of the other front ends
     * @param migrate    apply the database migrations first
     */
    public record Spec(List<String> inputs, boolean recursive, String out, Path bundleDir, boolean shipBundle, boolean store,
                       boolean migrate) {
        public Spec {
            inputs = List.copyOf(inputs);
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(bundleDir, "bundleDir");
        }
    }

    private final SparkSession spark;
    private final Consumer<String> log;

    /** @param log receives progress lines (one per finished partition) and the job's first line; may be null */
    public BatchLocateJob(SparkSession spark, Consumer<String> log) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.log = log == null ? line -> { } : log;
    }

    /**
     * Runs the job.
     *
     * @param settings the tasks' settings; its bundle and store are filled in here from {@code spec}
     * @throws BatchException with a message for the user when the job cannot run (output exists, bad
     *                        bundle, input missing, database unreachable); image problems never throw
     */
    public BatchSummary run(Spec spec, BatchSettings settings) {
        long t0 = System.nanoTime();
        SparkContext sc = spark.sparkContext();
        checkOutputFree(spec.out());
        // Before the database and the model: a mistyped path is one clean line, not a model load and a Spark trace.
        ImageFiles.checkExist(spec.inputs(), sc.hadoopConfiguration());
        try {
            if (spec.migrate()) {
                Migrations.apply(settings.jdbc().dataSource());
            }
        } catch (RuntimeException e) {
            // A StoreException's message is client-safe and carries the fix (e.g. GEOPIGEON_JDBC_MIGRATE=false).
            throw new BatchException("cannot prepare the audit database: "
                    + (e instanceof StoreException ? e.getMessage() : ErrorText.of(e))
                    + ". Every image is audited, so the job does not start without it", e);
        }
        BatchSettings s = settings.withBundle(BundleRef.shared(spec.bundleDir()));
        BundleFacts facts = validateBundle(spec.bundleDir(), settings.precision(), sc.isLocal() && !spec.shipBundle());
        if (spec.store()) {
            try {
                s = s.withStore(StoreTarget.of(new PredictionStore(settings.jdbc().dataSource())
                        .register(facts.manifest(), facts.cells(), spec.bundleDir().toString())));
            } catch (StoreException e) {
                throw new BatchException("cannot register the model in the database: " + ErrorText.of(e), e);
            }
        }
        if (spec.shipBundle()) {
            sc.addFile(spec.bundleDir().toUri().toString(), true);
            s = s.withBundle(BundleRef.shipped(spec.bundleDir().getFileName().toString()));
        }
        log.accept("batch job " + s.jobId() + ": model '" + facts.manifest().name() + "' (precision " + s.precision()
                + (s.precision().equals(facts.precision()) ? "" : ", " + facts.precision() + " on the driver") + "), "
                + (facts.manifest().trained() ? "trained" : "WARNING: it " + facts.manifest().untrainedReason()
                        + ": estimates carry no geographic information")
                + "; bundle " + s.bundle() + "; Spark " + spark.version() + ", master " + SparkSessions.describe(sc.master())
                + (sc.uiWebUrl().isDefined() ? ", UI " + sc.uiWebUrl().get() : ""));

        Dataset<Row> files = ImageFiles.read(spark, spec.inputs(), spec.recursive(), s.maxBytes());
        JobCounters counters = JobCounters.register(sc);
        Dataset<Row> located = files.mapPartitions(new PartitionLocator(s, counters), Encoders.row(LocateRows.SCHEMA));
        PartitionProgress progress = new PartitionProgress(log, located.rdd().getNumPartitions());
        sc.addSparkListener(progress);
        sc.setJobDescription("geopigeon batch locate " + s.jobId());
        try {
            GeoParquetOutput.write(GeoParquetOutput.withGeometry(located), spec.out());
        } catch (RuntimeException e) {
            throw new BatchException("batch job " + s.jobId() + " failed: " + ErrorText.of(e) + ". Audit rows written so far"
                    + " stay; run again with --job-id " + s.jobId() + " to finish without repeating them", e);
        } finally {
            sc.setJobDescription(null);
            drainListenerBus(sc);
            sc.removeSparkListener(progress);
        }
        addFilesNotRead(files, located.rdd().getNumPartitions(), s, counters, spec.out());
        try {
            GeoParquetOutput.dropEmptyBoxes(spec.out(), sc.hadoopConfiguration());
        } catch (IOException e) {
            // The rows are written and audited; only a reader's extent may include (0, 0).
            log.accept("warning: could not remove the [0, 0, 0, 0] bbox of a part file without estimates in "
                    + spec.out() + ": " + e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return summarise(s.jobId(), spec.out(), seconds, progress.failedAttempts(), counters.auditRowsReused().value());
    }

    /**
     * The listed files without an output row: zero-byte files (Spark's file sources skip them) and files over
     * the size limit (never read). They are inputs the user gave, so they go through the same task (EMPTY and
     * TOO_LARGE rows, with their audit rows), appended to the output. Usually there are none, and then the
     * row count alone shows it.
     */
    private void addFilesNotRead(Dataset<Row> files, int partitions, BatchSettings s, JobCounters counters,
                                 String out) {
        String[] inputFiles = files.inputFiles();
        if (counters.images().value() >= inputFiles.length) {
            return; // every listed file has its row (the count only includes successful task attempts)
        }
        // inputFiles() are URIs (file:///a%20b.jpg); the path column is Hadoop's Path text (file:/a b.jpg).
        List<String> all = Arrays.stream(inputFiles)
                .map(u -> new org.apache.hadoop.fs.Path(URI.create(u)).toString()).toList();
        Dataset<String> listed = spark.createDataset(all, Encoders.STRING()).toDF("path").as(Encoders.STRING());
        Dataset<Row> written = spark.read().parquet(out).select("path");
        List<String> missing = listed.join(written, listed.col("path").equalTo(written.col("path")), "left_anti")
                .as(Encoders.STRING()).collectAsList();
        if (missing.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(missing.size());
        Configuration conf = sc().hadoopConfiguration();
        for (String p : missing.stream().sorted().toList()) {
            rows.add(notRead(p, conf, s.maxBytes()));
        }
        Dataset<Row> notRead = spark.createDataFrame(rows, ImageFiles.SCHEMA)
                .repartition(Math.max(1, Math.min(partitions, rows.size() / 64 + 1)));
        sc().setJobDescription("geopigeon batch locate " + s.jobId() + ": " + rows.size() + " files not read");
        try {
            GeoParquetOutput.append(GeoParquetOutput.withGeometry(
                    notRead.mapPartitions(new PartitionLocator(s, counters), Encoders.row(LocateRows.SCHEMA))), out);
        } finally {
            sc().setJobDescription(null);
        }
        // The progress lines counted the images of the main job only: end with the count the summary gives.
        log.accept(String.format(Locale.ROOT, "%d more files could not be read (each has its row and audit row);"
                + " %d images in all", rows.size(), counters.images().value()));
    }

    /**
     * A file the scan did not read, as a task input row: no content and its length for one over the limit
     * (TOO_LARGE), no content and length 0 when it cannot be read now (UNREADABLE), else its bytes (a
     * zero-byte file: EMPTY; or a file that changed after the listing).
     */
    private static Row notRead(String path, Configuration conf, long maxBytes) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            long length = fs.getFileStatus(p).getLen();
            if (length > maxBytes) {
                return RowFactory.create(path, length, null);
            }
            try (java.io.InputStream in = fs.open(p)) {
                return RowFactory.create(path, length, in.readNBytes((int) maxBytes));
            }
        } catch (IOException e) {
            return RowFactory.create(path, 0L, null); // gone or unreadable since the listing: an UNREADABLE row
        }
    }

    private SparkContext sc() {
        return spark.sparkContext();
    }

    private BatchSummary summarise(String jobId, String out, double seconds, int failedAttempts, long reused) {
        Map<String, Long> byReason = new HashMap<>();
        long images = 0;
        long located = 0;
        for (Row r : spark.read().parquet(out).groupBy("error_code").count().collectAsList()) {
            long n = r.getLong(1);
            images += n;
            if (r.isNullAt(0)) {
                located += n;
            } else {
                byReason.put(r.getString(0), n);
            }
        }
        return new BatchSummary(jobId, images, located, byReason, seconds, failedAttempts, reused, out);
    }

    /** Manifest and geocells of a bundle that loaded, and the precision its backbone loaded in on the driver. */
    private record BundleFacts(BundleManifest manifest, GeocellSet cells, String precision) {
    }

    /**
     * Loads the bundle once on the driver so a broken bundle stops the job before any task runs. In
     * local mode the load goes into {@link ExecutorModels}, where the tasks find it.
     */
    private static BundleFacts validateBundle(Path dir, String precision, boolean keepLoaded) {
        try {
            if (keepLoaded) {
                ExecutorModels.Loaded m = ExecutorModels.get(dir, precision);
                return new BundleFacts(m.bundle().manifest(), m.bundle().geocells(), m.precision());
            }
            // The same precision choice as the executors: a variant the bundle lacks stops the job here.
            try (ModelBundle b = ModelBundle.load(dir, PrecisionChoice.parse(precision))) {
                return new BundleFacts(b.manifest(), b.geocells(), b.backbone().precision().id());
            }
        } catch (BundleException e) {
            throw new BatchException("cannot load model bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    private void checkOutputFree(String out) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(out);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (fs.exists(p)) {
                throw new BatchException("output " + out + " already exists; choose another --out (results are never"
                        + " overwritten)");
            }
        } catch (IOException e) {
            throw new BatchException("cannot check output " + out + ": " + e.getMessage(), e);
        }
    }

    /** Lets the progress listener print the last partitions before the summary. */
    private static void drainListenerBus(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty(10_000);
        } catch (java.util.concurrent.TimeoutException e) {
            // Progress lines may come after the summary; nothing is lost.
        }
    }

}
