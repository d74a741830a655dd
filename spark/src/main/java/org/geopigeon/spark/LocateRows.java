package org.geopigeon.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.geopigeon.service.GeolocationResult;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The output table of a batch locate job: one row per input file, the service's answer model
 * ({@link GeolocationResult}, the one every front end writes: same fields, names and rounding) flattened
 * into columns, plus what a batch adds (the file, its error, the job). Columns, nullable unless said:
 * <ul>
 *   <li>{@code path} (not null), {@code length} (bytes), {@code content_sha256} (hex SHA-256 of the file),
 *       {@code width}, {@code height}, {@code format} (after EXIF orientation; jpeg, png or webp);</li>
 *   <li>{@code lat}, {@code lon}: the estimate, degrees WGS 84 to 7 decimals (the GeoParquet writer adds the
 *       {@code geometry} Point, EPSG:4326, from them), {@code confidence}, {@code refined}, {@code model},
 *       {@code trained}, {@code top_k}, {@code pixel_sha256} (the estimate's {@code image_sha256}: hex SHA-256
 *       of the decoded RGB pixels, the audit log's image hash), {@code top_cell_lat}/{@code top_cell_lon},
 *       {@code exif_lat}/{@code exif_lon} (the file's GPS position), {@code gps_source} (where it was read:
 *       {@code exif} for the EXIF GPS block, {@code xmp} for the XMP packet), {@code exif_distance_km},
 *       {@code timings_ms} (decode, preprocess, backbone, head, refine, total);</li>
 *   <li>{@code top_cells}: rank, cell_id, name, admin1, country, probability, rank 1 first;</li>
 *   <li>{@code precision} (the arithmetic the backbone ran in on the executor: fp32, bf16, fp16 or int8; what
 *       {@code --precision auto} resolved to there); {@code error_code}, {@code error_reason}: why the file has no estimate (null when
 *       located): an {@link org.geopigeon.service.ImageProblem} name (EMPTY, TOO_LARGE, UNREADABLE,
 *       UNSUPPORTED_FORMAT, TOO_MANY_PIXELS, TOO_SMALL, TRUNCATED, CORRUPT) or INFERENCE_FAILED;</li>
 *   <li>{@code job_id}, {@code audit_id} (not null: the file's {@code geopigeon.audit_log.id}),
 *       {@code prediction_id} ({@code geopigeon.predictions.id} when stored).</li>
 * </ul>
 * Failed rows keep what is known (pixel hash and size when the file decoded, EXIF position).
 */
public final class LocateRows {

    private static final StructType CELL = new StructType(new StructField[] {
            DataTypes.createStructField("rank", DataTypes.IntegerType, false),
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
            DataTypes.createStructField("width", DataTypes.IntegerType, true),
            DataTypes.createStructField("height", DataTypes.IntegerType, true),
            DataTypes.createStructField("format", DataTypes.StringType, true),
            DataTypes.createStructField("lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("confidence", DataTypes.DoubleType, true),
            DataTypes.createStructField("refined", DataTypes.BooleanType, true),
            DataTypes.createStructField("model", DataTypes.StringType, true),
            DataTypes.createStructField("trained", DataTypes.BooleanType, true),
            DataTypes.createStructField("top_k", DataTypes.IntegerType, true),
            DataTypes.createStructField("pixel_sha256", DataTypes.StringType, true),
            DataTypes.createStructField("top_cell_lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("top_cell_lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("exif_lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("exif_lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("gps_source", DataTypes.StringType, true),
            DataTypes.createStructField("exif_distance_km", DataTypes.DoubleType, true),
            DataTypes.createStructField("timings_ms", TIMINGS, true),
            DataTypes.createStructField("top_cells", DataTypes.createArrayType(CELL, false), true),
            DataTypes.createStructField("precision", DataTypes.StringType, true),
            DataTypes.createStructField("error_code", DataTypes.StringType, true),
            DataTypes.createStructField("error_reason", DataTypes.StringType, true),
            DataTypes.createStructField("job_id", DataTypes.StringType, false),
            DataTypes.createStructField("audit_id", DataTypes.LongType, false),
            DataTypes.createStructField("prediction_id", DataTypes.LongType, true)});

    private LocateRows() {
    }

    /** The row of one file: the service's answer model when located, else the error. */
    static Row row(ImageResult r, String jobId, long auditId, Long predictionId) {
        GeolocationResult.Estimate e = null;
        List<Row> cells = null;
        if (r.prediction() != null) {
            GeolocationResult g = GeolocationResult.of(r.prediction(), r.trained(), predictionId, auditId,
                    r.prediction().topCells().size(), 1, List.of(r.pixelSha256()));
            e = g.estimate();
            cells = new ArrayList<>(g.cells().size());
            for (GeolocationResult.Cell c : g.cells()) {
                cells.add(RowFactory.create(c.rank(), c.cellId(), c.name(), c.admin1(), c.country(), c.probability()));
            }
        }
        GeolocationResult.Position exif = e != null ? e.exifGps()
                : r.exifGps() == null ? null : new GeolocationResult.Position(GeolocationResult.degrees(r.exifGps().lat()),
                        GeolocationResult.degrees(r.exifGps().lon()));
        GeolocationResult.Timings t = e == null ? null : e.timingsMs();
        return RowFactory.create(
                r.path(), r.length(), r.contentSha256(), r.width(), r.height(), r.format(),
                e == null ? null : e.lat(), e == null ? null : e.lon(), e == null ? null : e.confidence(),
                e == null ? null : e.refined(), r.model(), r.trained(), e == null ? null : e.topK(),
                r.pixelSha256(),
                e == null ? null : e.topCellCentroid().lat(), e == null ? null : e.topCellCentroid().lon(),
                exif == null ? null : exif.lat(), exif == null ? null : exif.lon(),
                exif == null ? null : e != null ? e.gpsSource() : r.gpsSource() == null ? null : r.gpsSource().id(),
                e == null ? null : e.exifDistanceKm(),
                t == null ? null : RowFactory.create(t.decode(), t.preprocess(), t.backbone(), t.head(), t.refine(),
                        t.total()),
                cells == null ? null : CollectionConverters.asScala(cells).toSeq(), // Row arrays are Scala Seqs
                r.precision(), r.errorCode(), r.errorReason(), jobId, auditId, predictionId);
    }
}
