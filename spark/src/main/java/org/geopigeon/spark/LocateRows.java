package org.geopigeon.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The output table of a batch locate job: one row per input file. Columns (nullable unless said):
 * <ul>
 *   <li>{@code path} (not null), {@code length} (bytes), {@code content_sha256} (hex SHA-256 of the file),
 *       {@code pixel_sha256} (hex SHA-256 of the decoded RGB pixels, the audit log's image hash,
 *       {@link org.geopigeon.engine.image.PixelHash}), {@code width}, {@code height}, {@code format};</li>
 *   <li>{@code exif_lat}, {@code exif_lon}: the GPS position in the file's metadata, degrees WGS 84;</li>
 *   <li>{@code lat}, {@code lon}: the point estimate, degrees WGS 84 (the GeoParquet writer adds the
 *       {@code geometry} Point, EPSG:4326, from them); {@code refined}, {@code confidence} (0..1);</li>
 *   <li>{@code top_cells}: rank, class_index, cell_id, name, admin1, country, probability, rank 1 first;
 *       {@code top_cell_lat}, {@code top_cell_lon}: the rank-1 cell's centroid;</li>
 *   <li>{@code model}, {@code precision}, {@code timings_ms} (decode, preprocess, backbone, head, refine,
 *       total; the batch's preprocess and backbone time shared out per image, as the CLI reports);</li>
 *   <li>{@code error_code}, {@code error_reason}: why the image has no estimate (null when located): a decoder
 *       reason (EMPTY, TOO_LARGE, UNSUPPORTED_FORMAT, TOO_MANY_PIXELS, TRUNCATED, CORRUPT, UNREADABLE),
 *       TOO_SMALL or INFERENCE_FAILED;</li>
 *   <li>{@code job_id}, {@code audit_id} (not null: {@code geopigeon.audit_log.id} of the image's row),
 *       {@code prediction_id} ({@code geopigeon.predictions.id} when stored).</li>
 * </ul>
 */
public final class LocateRows {

    private static final StructType CELL = new StructType(new StructField[] {
            DataTypes.createStructField("rank", DataTypes.IntegerType, false),
            DataTypes.createStructField("class_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("cell_id", DataTypes.StringType, true),
            DataTypes.createStructField("name", DataTypes.StringType, true),
            DataTypes.createStructField("admin1", DataTypes.StringType, true),
            DataTypes.createStructField("country", DataTypes.StringType, true),
            DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    private static final StructType TIMINGS = new StructType(new StructField[] {
            DataTypes.createStructField("decode", DataTypes.DoubleType, false),
            DataTypes.createStructField("preprocess", DataTypes.DoubleType, false),
            DataTypes.createStructField("backbone", DataTypes.DoubleType, false),
            DataTypes.createStructField("head", DataTypes.DoubleType, false),
            DataTypes.createStructField("refine", DataTypes.DoubleType, false),
            DataTypes.createStructField("total", DataTypes.DoubleType, false)});

    /** The row schema produced by {@link PartitionLocator}. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("length", DataTypes.LongType, false),
            DataTypes.createStructField("content_sha256", DataTypes.StringType, true),
            DataTypes.createStructField("pixel_sha256", DataTypes.StringType, true),
            DataTypes.createStructField("width", DataTypes.IntegerType, true),
            DataTypes.createStructField("height", DataTypes.IntegerType, true),
            DataTypes.createStructField("format", DataTypes.StringType, true),
            DataTypes.createStructField("exif_lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("exif_lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("refined", DataTypes.BooleanType, true),
            DataTypes.createStructField("confidence", DataTypes.DoubleType, true),
            DataTypes.createStructField("top_cells", DataTypes.createArrayType(CELL, false), true),
            DataTypes.createStructField("top_cell_lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("top_cell_lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("model", DataTypes.StringType, true),
            DataTypes.createStructField("precision", DataTypes.StringType, true),
            DataTypes.createStructField("timings_ms", TIMINGS, true),
            DataTypes.createStructField("error_code", DataTypes.StringType, true),
            DataTypes.createStructField("error_reason", DataTypes.StringType, true),
            DataTypes.createStructField("job_id", DataTypes.StringType, false),
            DataTypes.createStructField("audit_id", DataTypes.LongType, false),
            DataTypes.createStructField("prediction_id", DataTypes.LongType, true)});

    private LocateRows() {
    }

    /** The row of one image (located when {@code prediction} is non-null, else failed with the error). */
    static Row row(ImageResult r, String jobId, long auditId, Long predictionId) {
        Prediction p = r.prediction();
        LatLon exif = r.exifGps();
        List<Row> cells = null;
        if (p != null) {
            cells = new ArrayList<>(p.topCells().size());
            for (CellProbability c : p.topCells()) {
                cells.add(RowFactory.create(c.rank(), c.cell().index(), c.cell().id(), c.cell().name(),
                        c.cell().admin1(), c.cell().country(), c.probability()));
            }
        }
        StageTimings t = p == null ? null : p.timings();
        return RowFactory.create(
                r.path(), r.length(), r.contentSha256(), r.pixelSha256(), r.width(), r.height(), r.format(),
                exif == null ? null : exif.lat(), exif == null ? null : exif.lon(),
                p == null ? null : p.location().lat(), p == null ? null : p.location().lon(),
                p == null ? null : p.refined(), p == null ? null : p.confidence(),
                cells == null ? null : CollectionConverters.asScala(cells).toSeq(), // Row arrays are Scala Seqs
                p == null ? null : p.topCellCentroid().lat(), p == null ? null : p.topCellCentroid().lon(),
                p == null ? r.model() : p.model(), r.precision(),
                t == null ? null : RowFactory.create(t.decodeMs(), t.preprocessMs(), t.backboneMs(), t.headMs(),
                        t.refineMs(), t.totalMs()),
                r.errorCode(), r.errorReason(), jobId, auditId, predictionId);
    }
}
