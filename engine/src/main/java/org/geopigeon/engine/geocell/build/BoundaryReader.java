package org.geopigeon.engine.geocell.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.GeometryFixer;

/**
 * Reads a boundary layer from GeoJSON (FeatureCollection) or TopoJSON (Topology).
 *
 * <p>Properties recognised (first present wins; Natural Earth, GADM and geoBoundaries spellings):
 * country code {@code adm0_a3, iso_a3, GID_0, shapeGroup, country_code}; name {@code name, name_en,
 * NAME_2, NAME_1, NAME_0, shapeName, admin}; admin-1 name {@code admin1, NAME_1, region}; id
 * {@code iso_3166_2, GID_2, GID_1, shapeID, id} or the feature id.
 *
 * <p>Invalid polygons are repaired with JTS {@link GeometryFixer} (keeps every part of a
 * self-intersecting ring, unlike buffer(0)) and their names reported; features without polygonal
 * geometry are skipped and counted.
 *
 * <p>Rings stitched across the antimeridian (world-atlas / d3 geostitch data, a longitude jump over 180 degrees
 * between two vertices, or a ring around a pole) are first cut into pieces inside [-180, 180] by
 * {@link AntimeridianCutter}; such features are reported among the repaired names with {@link #CUT_NOTE} and counted
 * in {@link BoundaryLayer#antimeridianCutCount()}. Other features keep their coordinates exactly.
 */
public final class BoundaryReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> COUNTRY_KEYS = List.of("adm0_a3", "ADM0_A3", "iso_a3", "ISO_A3", "GID_0", "shapeGroup",
        "country_code", "iso3");
    private static final List<String> NAME_KEYS = List.of("name", "NAME", "name_en", "NAME_EN", "NAME_2", "NAME_1", "NAME_0",
        "shapeName", "admin", "ADMIN");
    private static final List<String> ADMIN1_KEYS = List.of("admin1", "NAME_1", "region");
    /** Appended to the name of a feature in the repair report when its rings were cut at the antimeridian. */
    public static final String CUT_NOTE = " (cut at the antimeridian)";
    private static final List<String> ID_KEYS = List.of("iso_3166_2", "GID_2", "GID_1", "shapeID", "id");

    private BoundaryReader() {
    }

    /**
     * The boundary layers of a geocell build, coarsest first: countries, admin-1[, admin-2] (GeoJSON or TopoJSON).
     * With two or three files the first is read as the countries layer; a single file is the units alone.
     *
     * @throws IOException              when a file is missing, empty or not a boundary file (the message names it)
     * @throws IllegalArgumentException for no files or more than three
     */
    public static List<BoundaryLayer> readLayers(List<Path> files) throws IOException {
        if (files.isEmpty() || files.size() > 3) {
            throw new IllegalArgumentException("give 1 to 3 boundary layers (countries,admin1,admin2), got " + files.size());
        }
        List<BoundaryLayer> layers = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            layers.add(read(files.get(i), i == 0 && files.size() > 1));
        }
        return layers;
    }

    /**
     * @param countryLevel true for a countries layer: its name is the country, admin1 stays empty
     */
    public static BoundaryLayer read(Path file, boolean countryLevel) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("boundary file not found: " + file);
        }
        if (Files.size(file) == 0) {
            throw new IOException("boundary file " + file + " is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException("boundary file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        String source = file.getFileName().toString();
        try {
            return parse(root, source, countryLevel);
        } catch (IllegalArgumentException e) {
            throw new IOException("boundary file " + file + ": " + e.getMessage(), e);
        }
    }

    static BoundaryLayer parse(JsonNode root, String source, boolean countryLevel) {
        List<TopoJson.Feature> features = new ArrayList<>();
        String type = root == null ? "" : root.path("type").asText();
        if ("Topology".equals(type)) {
            features.addAll(TopoJson.read(root));
        } else if ("FeatureCollection".equals(type)) {
            JsonNode fs = root.path("features");
            for (int i = 0; i < fs.size(); i++) {
                JsonNode f = fs.get(i);
                Geometry g;
                try {
                    g = GeoJsonGeometry.read(f.get("geometry"));
                } catch (IllegalArgumentException e) {
                    g = null; // counted as skipped below
                }
                features.add(new TopoJson.Feature(g, f.path("properties"), f.get("id")));
            }
        } else {
            throw new IllegalArgumentException("neither a GeoJSON FeatureCollection nor a TopoJSON Topology (type '" + type + "')");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no features");
        }
        List<AdminUnit> units = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        int skipped = 0;
        int cutCount = 0;
        for (int i = 0; i < features.size(); i++) {
            TopoJson.Feature f = features.get(i);
            JsonNode p = f.properties();
            String name = first(p, NAME_KEYS);
            String country = first(p, COUNTRY_KEYS);
            if (countryLevel && country.isEmpty()) {
                country = name;
            }
            String admin1 = countryLevel ? "" : first(p, ADMIN1_KEYS);
            String id = first(p, ID_KEYS);
            if (id.isEmpty() && f.id() != null && !f.id().isNull()) {
                id = f.id().asText();
            }
            if (id.isEmpty()) {
                id = source + ":" + i;
            }
            Geometry g = f.geometry();
            if (g == null || !(g instanceof Polygonal) || g.isEmpty()) {
                skipped++;
                continue;
            }
            Geometry cut = AntimeridianCutter.cut(g);
            if (cut != g) {
                g = cut;
                cutCount++;
                repaired.add((name.isEmpty() ? id : name) + CUT_NOTE);
                if (g.isEmpty()) {
                    skipped++;
                    continue;
                }
            }
            if (!g.isValid()) {
                g = GeometryFixer.fix(g);
                repaired.add(name.isEmpty() ? id : name);
                if (g.isEmpty()) {
                    skipped++;
                    continue;
                }
                g = GeoJsonGeometry.toMultiPolygon(g);
            }
            units.add(new AdminUnit(id, name.isEmpty() ? id : name, admin1, country, g));
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException("none of its " + features.size() + " features has a usable polygon");
        }
        return new BoundaryLayer(source, units, repaired, skipped, cutCount);
    }

    private static String first(JsonNode props, List<String> keys) {
        if (props == null) {
            return "";
        }
        for (String k : keys) {
            JsonNode v = props.get(k);
            if (v != null && !v.isNull() && !v.asText().isBlank() && !v.asText().equals("-99")) {
                return v.asText().trim();
            }
        }
        return "";
    }
}
