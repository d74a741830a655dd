package org.geopigeon.engine.geocell.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * Two countries of unit squares: AAA covers x 0..4, BBB x 4..8, both y 0..2; each square
 * (column c, row r) is an admin-1 unit named "AAA-c-r" / "BBB-c-r".
 */
final class SyntheticWorld {

    static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticWorld() {
    }

    static Geometry box(double x0, double y0, double x1, double y1) {
        return GeoJsonGeometry.WGS84.toGeometry(new Envelope(x0, x1, y0, y1));
    }

    static Path writeCountries(Path dir) throws IOException {
        ObjectNode fc = featureCollection();
        addFeature(fc, box(0, 0, 4, 2), "iso_a3", "AAA", "name", "Aland");
        addFeature(fc, box(4, 0, 8, 2), "iso_a3", "BBB", "name", "Bland");
        Path f = dir.resolve("countries.geojson");
        JSON.writeValue(f.toFile(), fc);
        return f;
    }

    static Path writeAdmin1(Path dir) throws IOException {
        ObjectNode fc = featureCollection();
        for (int c = 0; c < 8; c++) {
            for (int r = 0; r < 2; r++) {
                String country = c < 4 ? "AAA" : "BBB";
                String name = country + "-" + c + "-" + r;
                addFeature(fc, box(c, r, c + 1, r + 1), "adm0_a3", country, "name", name, "iso_3166_2", name);
            }
        }
        Path f = dir.resolve("admin1.geojson");
        JSON.writeValue(f.toFile(), fc);
        return f;
    }

    static ObjectNode featureCollection() {
        ObjectNode fc = JSON.createObjectNode();
        fc.put("type", "FeatureCollection");
        fc.putArray("features");
        return fc;
    }

    static void addFeature(ObjectNode fc, Geometry g, String... props) {
        ObjectNode f = ((ArrayNode) fc.get("features")).addObject();
        f.put("type", "Feature");
        ObjectNode p = f.putObject("properties");
        for (int i = 0; i < props.length; i += 2) {
            p.put(props[i], props[i + 1]);
        }
        f.set("geometry", GeoJsonGeometry.write(g));
    }
}
