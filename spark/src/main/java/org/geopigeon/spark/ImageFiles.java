package org.geopigeon.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input of the batch jobs: every file under a Hadoop path or glob (local, HDFS, S3A, GCS, ABFS:
 * whatever file systems the cluster has connectors for), read with Spark's {@code binaryFile} source.
 *
 * <p>Rows are {@code (path, length, content)}. Files above {@code maxBytes} come with a null content and are
 * never read: Spark's binaryFile reader applies filters on {@code length} before it opens a file, so the
 * two filtered scans below read only the small files' bytes. A huge file therefore becomes a TOO_LARGE
 * row instead of a task that fails on a 2 GB byte array. Hidden files (names starting with "." or "_")
 * are skipped by Spark, as everywhere in Hadoop.
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
        Dataset<Row> small = files.where(col("length").leq(maxBytes)).select("path", "length", "content");
        Dataset<Row> large = files.where(col("length").gt(maxBytes))
                .select(col("path"), col("length"), lit(null).cast("binary").as("content"))
                .coalesce(1); // usually empty: one task instead of one per input split
        return small.unionAll(large);
    }
}
