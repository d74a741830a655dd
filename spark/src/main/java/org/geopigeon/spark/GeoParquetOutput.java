package org.geopigeon.spark;

import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes the located rows as GeoParquet with Apache Sedona's {@code geoparquet} data source: a
 * {@code geometry} column (WKB Point, longitude/latitude as GeoParquet requires whatever the CRS's axis
 * order) built from {@code lon, lat}, null for images without an estimate, and the file metadata
 * {@code geo} with the column's encoding, geometry types, bounding box and CRS (EPSG:4326 as PROJJSON,
 * GeoParquet 1.0.0 section "crs"). GDAL/QGIS, GeoPandas, DuckDB and Sedona read it as a point layer.
 */
public final class GeoParquetOutput {

    /** Name of the geometry column. */
    public static final String GEOMETRY = "geometry";

    private GeoParquetOutput() {
    }

    /** The rows with the point geometry column added; needs Sedona's SQL functions registered. */
    public static Dataset<Row> withGeometry(Dataset<Row> rows) {
        return rows.withColumn(GEOMETRY, expr("CASE WHEN lat IS NULL OR lon IS NULL THEN NULL"
                + " ELSE ST_SetSRID(ST_Point(lon, lat), 4326) END"));
    }

    /** Writes {@code rows} (with a geometry column) to the folder {@code out}, which must not exist. */
    public static void write(Dataset<Row> rows, String out) {
        rows.write().format("geoparquet")
                .option("geoparquet.version", "1.0.0")
                .option("geoparquet.crs", epsg4326())
                .save(out);
    }

    /** Adds {@code rows} to the GeoParquet folder {@code out} (same schema and metadata). */
    public static void append(Dataset<Row> rows, String out) {
        rows.write().format("geoparquet").mode(SaveMode.Append)
                .option("geoparquet.version", "1.0.0")
                .option("geoparquet.crs", epsg4326())
                .save(out);
    }

    /** PROJJSON of EPSG:4326 (WGS 84 geographic 2D), from the EPSG definition. */
    public static String epsg4326() {
        try (InputStream in = GeoParquetOutput.class.getResourceAsStream("epsg4326.projjson")) {
            if (in == null) {
                throw new IllegalStateException("epsg4326.projjson is missing from the geopigeon-spark jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
