package org.geopigeon.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.CoordinateCsv;

/**
 * Gallery building on Spark: the embedding step of {@code geopigeon train --photos} for collections
 * beyond one machine. Photos under Hadoop paths are embedded by {@link GalleryEmbedder} on the
 * executors; the driver streams the rows, ordered by path, into one gallery file
 * ({@link GalleryFileWriter}, the format {@code train --gallery} reads), so {@code train} then fits the
 * head, geocell labels and refinement index from it.
 */
public final class GalleryJob {

    /**
     * @param inputs     Hadoop paths or globs of the photos
     * @param recursive  also read sub-folders
     * @param locations  local CSV with {@code file,lat,lon} (file relative to the single input folder), or
     *                   null to use each photo's EXIF GPS position
     * @param bundleDir  the bundle whose backbone and preprocessing embed the photos
     * @param shipBundle copy the bundle to the executors with {@code SparkContext.addFile}
     * @param out        the gallery file to write (must not exist)
     * @param f16        store embeddings as float16
     * @param maxBytes   larger files are skipped unread
     */
    public record Spec(List<String> inputs, boolean recursive, Path locations, Path bundleDir, boolean shipBundle,
                       Path out, boolean f16, long maxBytes) {
        public Spec {
            inputs = List.copyOf(inputs);
            Objects.requireNonNull(bundleDir, "bundleDir");
            Objects.requireNonNull(out, "out");
        }
    }

    /**
     * @param rows         photos embedded (gallery rows)
     * @param scanned      files considered
     * @param skipped      skip code to count (unreadable, no location, ...)
     * @param missingListed CSV rows whose file was not among the inputs
     * @param dim          embedding dimension D
     * @param seconds      wall time
     */
    public record Result(long rows, long scanned, Map<String, Long> skipped, long missingListed, int dim,
                         double seconds) {
        public Result {
            skipped = Map.copyOf(skipped);
        }

        public String describe(Path out) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "gallery: %d of %d photos embedded in %.1f s"
                    + " (%.2f photos/s), D = %d -> %s", rows, scanned, seconds, scanned / Math.max(seconds, 1e-9), dim, out));
            new TreeMap<>(skipped).forEach((k, v) -> b.append(String.format(Locale.ROOT, "%n  skipped %-18s %d", k, v)));
            if (missingListed > 0) {
                b.append(String.format(Locale.ROOT, "%n  %d rows of the locations CSV name files that were not found",
                        missingListed));
            }
            return b.toString();
        }
    }

    /** Skip count of files the scan did not read: zero bytes, or over the size limit. */
    public static final String NOT_READ = "NOT_READ";

    private static final StructType LOCATION = new StructType(new StructField[] {
            DataTypes.createStructField("loc_path", DataTypes.StringType, false),
            DataTypes.createStructField("lat", DataTypes.DoubleType, false),
            DataTypes.createStructField("lon", DataTypes.DoubleType, false)});

    private final SparkSession spark;
    private final Consumer<String> log;

    /** @param log receives progress and skip lines; may be null */
    public GalleryJob(SparkSession spark, Consumer<String> log) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.log = log == null ? line -> { } : log;
    }

    /**
     * @throws BatchException when the job cannot run or no photo is usable; nothing is written then
     */
    public Result run(Spec spec, String precision) {
        long t0 = System.nanoTime();
        SparkContext sc = spark.sparkContext();
        if (Files.exists(spec.out())) {
            throw new BatchException("gallery " + spec.out() + " already exists; choose another --out");
        }
        ImageFiles.checkExist(spec.inputs(), sc.hadoopConfiguration()); // before the model loads
        String name;
        try (ModelBundle b = ModelBundle.load(spec.bundleDir())) {
            name = b.name();
        } catch (BundleException e) {
            throw new BatchException("cannot load model bundle " + spec.bundleDir() + ": " + e.getMessage(), e);
        }
        BundleRef bundle = BundleRef.shared(spec.bundleDir());
        if (spec.shipBundle()) {
            sc.addFile(spec.bundleDir().toUri().toString(), true);
            bundle = BundleRef.shipped(spec.bundleDir().getFileName().toString());
        }
        log.accept("gallery: embedding with the backbone of '" + name + "' (" + precision + "), bundle " + bundle
                + "; Spark " + spark.version() + ", master " + sc.master());

        Dataset<Row> files = ImageFiles.read(spark, spec.inputs(), spec.recursive(), spec.maxBytes());
        long missingListed = 0;
        Dataset<Row> withLocation;
        if (spec.locations() != null) {
            Dataset<Row> listed = locations(spec);
            withLocation = files.join(listed, files.col("path").equalTo(listed.col("loc_path")), "left")
                    .select(col("path"), col("length"), col("content"), col("lat"), col("lon"));
            missingListed = listed.join(files, listed.col("loc_path").equalTo(files.col("path")), "left_anti").count();
        } else {
            withLocation = files.withColumn("lat", org.apache.spark.sql.functions.lit(null).cast("double"))
                    .withColumn("lon", org.apache.spark.sql.functions.lit(null).cast("double"));
        }
        Dataset<Row> embedded = withLocation
                .mapPartitions(new GalleryEmbedder(bundle, precision, spec.maxBytes()), Encoders.row(GalleryEmbedder.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        sc.setJobDescription("geopigeon batch gallery");
        try {
            Map<String, Long> skipped = new HashMap<>();
            long rows = 0;
            long scanned = 0;
            for (Row r : embedded.groupBy("skip_code").count().collectAsList()) {
                scanned += r.getLong(1);
                if (r.isNullAt(0)) {
                    rows = r.getLong(1);
                } else {
                    skipped.put(r.getString(0), r.getLong(1));
                }
            }
            long notRead = files.inputFiles().length - scanned;
            if (notRead > 0) {
                skipped.put(NOT_READ, notRead); // empty, or over --max-bytes: Spark's scan never read them
                scanned += notRead;
            }
            embedded.where(col("skip_code").isNotNull()).orderBy("path").limit(10).collectAsList()
                    .forEach(r -> log.accept("skip " + r.getString(0) + ": " + r.getString(5)));
            if (rows == 0) {
                throw new BatchException("none of the " + scanned + " photos is usable " + skipped
                        + (spec.locations() == null ? "; give --locations with file,lat,lon for photos without EXIF GPS" : ""));
            }
            int dim = embedded.where(col("skip_code").isNull()).select("embedding").first().getList(0).size();
            writeGallery(embedded.where(col("skip_code").isNull()).orderBy("path"), spec.out(), rows, dim, spec.f16());
            return new Result(rows, scanned, skipped, missingListed, dim, (System.nanoTime() - t0) / 1e9);
        } finally {
            sc.setJobDescription(null);
            embedded.unpersist();
        }
    }

    /** Streams the rows to the driver one partition at a time and into the gallery file. */
    private static void writeGallery(Dataset<Row> rows, Path out, long n, int dim, boolean f16) {
        try (GalleryFileWriter w = new GalleryFileWriter(out, n, dim, f16)) {
            Iterator<Row> it = rows.select("embedding", "lat", "lon").toLocalIterator();
            float[] e = new float[dim];
            while (it.hasNext()) {
                Row r = it.next();
                List<Float> v = r.getList(0);
                for (int i = 0; i < dim; i++) {
                    e[i] = v.get(i);
                }
                w.add(e, new LatLon(r.getDouble(1), r.getDouble(2)));
            }
            w.finish();
        } catch (IOException e) {
            throw new BatchException("cannot write gallery " + out + ": " + e.getMessage(), e);
        }
    }

    /** The CSV's rows with their file resolved against the single input folder, as Spark names paths. */
    private Dataset<Row> locations(Spec spec) {
        if (spec.inputs().size() != 1) {
            throw new BatchException("--locations names files relative to one input folder; give exactly one --input");
        }
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(spec.inputs().get(0));
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<Row> rows = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            root = fs.makeQualified(root);
            for (CoordinateCsv.Row r : CoordinateCsv.read(spec.locations(), true)) {
                rows.add(RowFactory.create(new org.apache.hadoop.fs.Path(root, r.file()).toString(),
                        r.location().lat(), r.location().lon()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BatchException("cannot read locations " + spec.locations() + ": " + e.getMessage(), e);
        }
        return spark.createDataFrame(rows, LOCATION);
    }
}
