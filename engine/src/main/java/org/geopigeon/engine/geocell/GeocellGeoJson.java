package org.geopigeon.engine.geocell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.AtomicFiles;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Geometry;

/**
 * Reads and writes geocell files: a GeoJSON FeatureCollection with one (Multi)Polygon feature per
 * cell and the properties {@code class_index, cell_id, name, admin1, country, point_count,
 * centroid_lat, centroid_lon}.
 */
public final class GeocellGeoJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GeocellGeoJson() {
    }

    /**
     * Reads a geocell file (docs/bundle-format.md, "geocells.geojson"): a FeatureCollection with one (Multi)Polygon
     * feature per cell, in class order, each with {@code centroid_lat}/{@code centroid_lon} in degrees.
     *
     * @throws IOException when the file is missing or not valid JSON, naming the file
     * @throws IllegalArgumentException when the JSON is not a FeatureCollection of cells, naming the feature and what
     *   is wrong
     */
    public static GeocellSet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("geocell file not found: " + file);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException("geocell file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(root, file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("geocell file " + file + ": " + e.getMessage(), e);
        }
    }

    static GeocellSet parse(JsonNode root, String name) {
        if (root == null || !"FeatureCollection".equals(root.path("type").asText())) {
            throw new IllegalArgumentException("not a GeoJSON FeatureCollection");
        }
        JsonNode features = root.path("features");
        if (!features.isArray() || features.isEmpty()) {
            throw new IllegalArgumentException("no features");
        }
        List<Geocell> cells = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            JsonNode f = features.get(i);
            JsonNode p = f.path("properties");
            int index = p.has("class_index") ? p.get("class_index").asInt() : i;
            String id = p.hasNonNull("cell_id") ? p.get("cell_id").asText() : String.valueOf(index);
            Geometry g;
            try {
                g = GeoJsonGeometry.read(f.get("geometry"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature " + i + " (cell " + id + "): " + e.getMessage(), e);
            }
            if (!p.has("centroid_lat") || !p.has("centroid_lon")) {
                throw new IllegalArgumentException("feature " + i + " (cell " + id + ") lacks centroid_lat/centroid_lon");
            }
            double lat = p.get("centroid_lat").asDouble(Double.NaN);
            double lon = p.get("centroid_lon").asDouble(Double.NaN);
            if (!LatLon.isValid(lat, lon)) {
                throw new IllegalArgumentException("feature " + i + " (cell " + id + ") has an invalid centroid " + lat + "," + lon);
            }
            cells.add(new Geocell(index, id, p.path("name").asText(""), p.path("admin1").asText(""),
                    p.path("country").asText(""), p.path("point_count").asInt(0), new LatLon(lat, lon),
                    GeoJsonGeometry.toMultiPolygon(g)));
        }
        cells.sort(Comparator.comparingInt(Geocell::index));
        return new GeocellSet(root.path("name").asText(name), cells);
    }

    /**
     * The cells as a GeoJSON FeatureCollection tree (RFC 7946, lon/lat order), in class order, with the properties
     * {@link #read} expects.
     */
    public static ObjectNode toJson(GeocellSet set) {
        return toJson(set, Map.of());
    }

    /**
     * The FeatureCollection with extra top-level members after {@code name} (e.g. {@code attribution} of the
     * polygons' source, a {@code note}), in the map's iteration order; readers ignore them.
     */
    public static ObjectNode toJson(GeocellSet set, Map<String, String> members) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "FeatureCollection");
        root.put("name", set.name());
        members.forEach(root::put);
        ArrayNode features = root.putArray("features");
        for (Geocell c : set.cells()) {
            ObjectNode f = features.addObject();
            f.put("type", "Feature");
            f.put("id", c.id());
            ObjectNode p = f.putObject("properties");
            p.put("class_index", c.index());
            p.put("cell_id", c.id());
            p.put("name", c.name());
            p.put("admin1", c.admin1());
            p.put("country", c.country());
            p.put("point_count", c.pointCount());
            p.put("centroid_lat", c.centroid().lat());
            p.put("centroid_lon", c.centroid().lon());
            f.set("geometry", GeoJsonGeometry.write(c.geometry()));
        }
        return root;
    }

    /** Writes atomically: a temporary file in the same folder, then a rename, so a failure leaves nothing half-written. */
    public static void write(GeocellSet set, Path file) throws IOException {
        write(set, file, Map.of());
    }

    /** As {@link #write(GeocellSet, Path)}, with extra top-level members (see {@link #toJson(GeocellSet, Map)}). */
    public static void write(GeocellSet set, Path file, Map<String, String> members) throws IOException {
        ObjectNode json = toJson(set, members);
        AtomicFiles.write(file, tmp -> MAPPER.writeValue(tmp.toFile(), json));
    }
}
