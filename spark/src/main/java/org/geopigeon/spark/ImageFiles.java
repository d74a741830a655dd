package org.geopigeon.spark;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input of the batch jobs: every file under Hadoop paths or globs (local, HDFS, S3A, GCS, ABFS:
 * whatever file systems the cluster has connectors for), read with Spark's {@code binaryFile} source.
 *
 * <p>Rows are {@code (path, length, content)} of the files of at most {@code maxBytes}: Spark's binaryFile
 * reader applies the filter on {@code length} before it opens a file, so a huge file is never read (no task
 * fails on a 2 GB byte array). Spark's file sources also skip zero-byte files. Both kinds are still inputs
 * the user gave: {@link Dataset#inputFiles()} of the returned dataset lists every file, and the jobs give
 * the missing ones their rows ({@link BatchLocateJob}) or count them ({@link GalleryJob}). Hidden files
 * (names starting with "." or "_") are skipped, as everywhere in Hadoop.
 */
public final class ImageFiles {

    /** Columns of the rows {@link #read} returns. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("length", DataTypes.LongType, false),
            DataTypes.createStructField("content", DataTypes.BinaryType, true)});

    private ImageFiles() {
    }

    /**
     * Checks on the driver, before anything is loaded, that every input exists or its glob matches something.
     *
     * @throws BatchException naming the first input that does not, or that cannot be listed
     */
    public static void checkExist(List<String> inputs, org.apache.hadoop.conf.Configuration conf) {
        if (inputs.isEmpty()) {
            throw new BatchException("no input path given");
        }
        for (String in : inputs) {
            org.apache.hadoop.fs.FileStatus[] found;
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(in);
                found = p.getFileSystem(conf).globStatus(p);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new BatchException("cannot list input " + in + ": " + ErrorText.of(e), e);
            }
            if (found == null || found.length == 0) {
                throw new BatchException("input " + in + " does not exist or matches no file");
            }
        }
    }

    /**
     * @param inputs    paths or globs (e.g. {@code hdfs:///archive/2024/*.jpg}); a folder means its files
     * @param recursive also read the files of sub-folders
     * @throws BatchException when the path does not exist or matches nothing
     */
    public static Dataset<Row> read(SparkSession spark, List<String> inputs, boolean recursive, long maxBytes) {
        if (inputs.isEmpty()) {
            throw new BatchException("no input path given");
        }
        Dataset<Row> files;
        try {
            files = spark.read().format("binaryFile").option("recursiveFileLookup", recursive)
                    .load(inputs.toArray(String[]::new));
        } catch (Exception e) { // AnalysisException is a checked exception in Java's eyes, undeclared by load()
            if (e instanceof AnalysisException || String.valueOf(e.getMessage()).contains("PATH_NOT_FOUND")) {
                throw new BatchException("input " + String.join(", ", inputs) + " does not exist or matches no file: "
                        + ErrorText.of(e), e);
            }
            throw e instanceof RuntimeException r ? r : new BatchException("cannot list " + String.join(", ", inputs) + ": " + e.getMessage(), e);
        }
        return files.where(col("length").leq(maxBytes)).select("path", "length", "content");
    }
}
