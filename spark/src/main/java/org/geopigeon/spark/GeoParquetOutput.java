package org.geopigeon.spark;

import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
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

    /**
     * Removes the {@code bbox} that Sedona writes as {@code [0, 0, 0, 0]} (Null Island) into the {@code geo} metadata of
     * a part file without a single geometry (a partition of unreadable files, the second pass's EMPTY/TOO_LARGE
     * rows): a reader that unions the files' boxes would stretch the layer's extent to (0, 0). GeoParquet 1.1
     * ("bbox" is optional; "geometry_types" [] means the types are not known) lets the box be left out, so such a file
     * keeps its {@code geo} metadata without one. The file's row groups are copied unchanged
     * ({@link ParquetFileWriter#appendFile}) into a hidden file that then replaces it.
     *
     * @param out the output folder
     * @return the number of part files rewritten
     * @throws IOException when the folder cannot be listed or a file rewritten
     */
    public static int dropEmptyBoxes(String out, Configuration conf) throws IOException {
        Path dir = new Path(out);
        FileSystem fs = dir.getFileSystem(conf);
        int rewritten = 0;
        for (FileStatus st : fs.listStatus(dir)) {
            String name = st.getPath().getName();
            if (!st.isFile() || !name.endsWith(".parquet") || name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            FileMetaData meta;
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(st, conf))) {
                meta = reader.getFooter().getFileMetaData();
            }
            String fixed = withoutEmptyBoxes(meta.getKeyValueMetaData().get("geo"));
            if (fixed == null) {
                continue;
            }
            Map<String, String> kv = new HashMap<>(meta.getKeyValueMetaData());
            kv.put("geo", fixed);
            Path tmp = new Path(dir, "_rewrite-" + name); // hidden from readers until it replaces the part file
            ParquetFileWriter w = new ParquetFileWriter(HadoopOutputFile.fromPath(tmp, conf), meta.getSchema(),
                    ParquetFileWriter.Mode.OVERWRITE, ParquetWriter.DEFAULT_BLOCK_SIZE, ParquetWriter.MAX_PADDING_SIZE_DEFAULT);
            w.start();
            w.appendFile(HadoopInputFile.fromStatus(st, conf));
            w.end(kv);
            if (!fs.delete(st.getPath(), false) || !fs.rename(tmp, st.getPath())) {
                throw new IOException("cannot replace " + st.getPath() + " with " + tmp);
            }
            rewritten++;
        }
        return rewritten;
    }

    /**
     * The {@code geo} metadata without the bbox of every column that holds no geometry ({@code geometry_types} empty);
     * null when there is none to remove (or no metadata).
     */
    static String withoutEmptyBoxes(String geo) throws IOException {
        if (geo == null) {
            return null;
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(geo);
        JsonNode columns = root.path("columns");
        boolean changed = false;
        for (Iterator<JsonNode> it = columns.elements(); it.hasNext(); ) {
            JsonNode col = it.next();
            JsonNode types = col.path("geometry_types");
            if (col instanceof ObjectNode o && types.isArray() && types.isEmpty() && o.has("bbox")) {
                o.remove("bbox");
                changed = true;
            }
        }
        return changed ? json.writeValueAsString(root) : null;
    }
}
