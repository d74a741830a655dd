package org.geopigeon.bench.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.geopigeon.engine.geocell.build.AntimeridianCutter;
import org.geopigeon.engine.geocell.build.TopoJson;
import org.geopigeon.engine.io.AtomicFiles;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;

/**
 * Sample-data builder: decodes one object of a TopoJSON file and writes it as a GeoJSON FeatureCollection cut at
 * the antimeridian, with the engine's {@link TopoJson} decoder and {@link AntimeridianCutter} (the one
 * implementation; tools/make_boundaries.sh runs this before mapshaper simplifies the countries layer).
 *
 * <p>Every feature keeps its properties and id; its geometry is a MultiPolygon inside [-180, 180] x [-90, 90]:
 * rings stitched across +-180 (world-atlas is made with d3's geostitch) are cut, rings around a pole are closed
 * through it, other parts keep their decoded coordinates exactly (written at full precision, in JTS's normalised
 * ring order). Features without polygons, or whose cut leaves nothing, are dropped and counted.
 *
 * <p>Usage: {@code tools/run-bench-main.sh org.geopigeon.bench.samples.AntimeridianCut TOPOJSON OBJECT OUT.geojson}
 */
public final class AntimeridianCut {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AntimeridianCut() {
    }

    /** Counts of one run. */
    record Summary(int written, int cut, int dropped) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: AntimeridianCut TOPOJSON OBJECT OUT.geojson");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path dst = Path.of(args[2]);
        Summary s;
        try {
            s = cut(MAPPER.readTree(src.toFile()), args[1], dst);
        } catch (IllegalArgumentException e) {
            System.err.println(src + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(dst + ": " + s.written() + " features from " + src + " object '" + args[1] + "', "
                + s.cut() + " cut at the antimeridian, " + s.dropped() + " without polygons dropped");
    }

    /**
     * Writes the cut features of {@code objectName} to {@code out} (atomically: a temporary file, then a rename).
     *
     * @throws IllegalArgumentException when the JSON is not a TopoJSON Topology with that object
     */
    static Summary cut(JsonNode topology, String objectName, Path out) throws IOException {
        List<TopoJson.Feature> features = TopoJson.read(topology, objectName);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "FeatureCollection");
        ArrayNode array = root.putArray("features");
        int cut = 0;
        int dropped = 0;
        for (TopoJson.Feature f : features) {
            Geometry g = f.geometry();
            if (!(g instanceof Polygonal) || g.isEmpty()) {
                dropped++;
                continue;
            }
            Geometry c = AntimeridianCutter.cut(g);
            if (c != g) {
                cut++;
            }
            if (c.isEmpty()) {
                dropped++;
                continue;
            }
            ObjectNode feature = array.addObject();
            feature.put("type", "Feature");
            feature.set("properties", f.properties().isObject() ? f.properties() : MAPPER.createObjectNode());
            // Canonical ring order (JTS normalize: parts sorted, each ring starting at its smallest vertex, shells
            // clockwise): mapshaper keeps the first vertex of every island ring when it simplifies, so without this
            // the output would depend on where the cutter or the source happened to start each ring.
            Geometry canonical = GeoJsonGeometry.toMultiPolygon(c).norm();
            feature.set("geometry", fullPrecision(GeoJsonGeometry.toMultiPolygon(canonical)));
            if (f.id() != null && !f.id().isNull()) {
                feature.set("id", f.id());
            }
        }
        AtomicFiles.write(out, tmp -> MAPPER.writeValue(tmp.toFile(), root));
        return new Summary(array.size(), cut, dropped);
    }

    /**
     * The MultiPolygon as GeoJSON with every coordinate as decoded (GeoJsonGeometry.write rounds to 7 decimals,
     * right for geocells; mapshaper rounds these files itself, so it must see the exact decoded values).
     */
    private static ObjectNode fullPrecision(MultiPolygon mp) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "MultiPolygon");
        ArrayNode polygons = node.putArray("coordinates");
        for (int i = 0; i < mp.getNumGeometries(); i++) {
            Polygon p = (Polygon) mp.getGeometryN(i);
            ArrayNode rings = polygons.addArray();
            addRing(rings, p.getExteriorRing());
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                addRing(rings, p.getInteriorRingN(h));
            }
        }
        return node;
    }

    private static void addRing(ArrayNode rings, LineString ring) {
        ArrayNode positions = rings.addArray();
        for (Coordinate c : ring.getCoordinates()) {
            positions.addArray().add(c.x).add(c.y);
        }
    }
}
