package org.geopigeon.engine.geocell.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Decodes TopoJSON (https://github.com/topojson/topojson-specification) polygon features:
 * shared arcs, optional quantization transform with delta-encoded positions, and negative arc
 * indices meaning "arc ~i reversed".
 *
 * <p>Public for the sample-data builders of the bench module (tools/make_boundaries.sh, tools/build_demo_bundle.py),
 * which decode world-atlas with it and cut it with {@link AntimeridianCutter}: one TopoJSON decoder in the project.
 * Hand-written because no maintained Java TopoJSON reader is on Maven Central (GeoTools' is not, and the engine
 * takes no GeoTools); the format is small: quantized, delta-encoded arcs shared by rings.
 */
public final class TopoJson {

    /**
     * One decoded feature.
     *
     * @param geometry   Polygon or MultiPolygon in the file's coordinates (longitude, latitude in degrees for
     *                   world-atlas), possibly invalid and possibly stitched across the antimeridian; null for a
     *                   feature without polygons (null geometry, points, lines)
     * @param properties the feature's JSON properties (a missing node when it has none)
     * @param id         the feature's id, or null
     */
    public record Feature(Geometry geometry, JsonNode properties, JsonNode id) {
    }

    private final double[][][] arcs;

    private TopoJson(double[][][] arcs) {
        this.arcs = arcs;
    }

    /**
     * Features of one named object of the topology, in file order.
     *
     * @throws IllegalArgumentException when the JSON is not a Topology or has no object of that name (the message
     *                                  lists the names it has), or an arc index is out of range
     */
    public static List<Feature> read(JsonNode topology, String objectName) {
        JsonNode objects = objects(topology);
        JsonNode object = objects.get(objectName);
        if (object == null || !object.isObject()) {
            List<String> names = new ArrayList<>();
            objects.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException("TopoJSON has no object '" + objectName + "' (it has " + names + ")");
        }
        List<Feature> out = new ArrayList<>();
        new TopoJson(decodeArcs(topology)).collect(object, out);
        return out;
    }

    private static JsonNode objects(JsonNode topology) {
        if (!"Topology".equals(topology.path("type").asText())) {
            throw new IllegalArgumentException("not a TopoJSON Topology");
        }
        JsonNode objects = topology.path("objects");
        if (!objects.isObject() || objects.isEmpty()) {
            throw new IllegalArgumentException("TopoJSON has no objects");
        }
        return objects;
    }

    /**
     * Features of the topology's object with the most geometries (e.g. "countries" rather than "land").
     *
     * @throws IllegalArgumentException as {@link #read(JsonNode, String)}
     */
    public static List<Feature> read(JsonNode topology) {
        JsonNode objects = objects(topology);
        JsonNode best = null;
        int bestCount = -1;
        for (var it = objects.fields(); it.hasNext(); ) {
            JsonNode o = it.next().getValue();
            int count = o.path("geometries").isArray() ? o.path("geometries").size() : 1;
            if (count > bestCount) {
                best = o;
                bestCount = count;
            }
        }
        TopoJson topo = new TopoJson(decodeArcs(topology));
        List<Feature> out = new ArrayList<>();
        topo.collect(best, out);
        return out;
    }

    private void collect(JsonNode o, List<Feature> out) {
        String type = o.path("type").asText("");
        switch (type) {
            case "GeometryCollection" -> {
                for (JsonNode g : o.path("geometries")) {
                    collect(g, out);
                }
            }
            case "Polygon" -> out.add(new Feature(polygon(o.path("arcs")), o.path("properties"), o.get("id")));
            case "MultiPolygon" -> {
                JsonNode polys = o.path("arcs");
                Polygon[] parts = new Polygon[polys.size()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = polygon(polys.get(i));
                }
                out.add(new Feature(GeoJsonGeometry.WGS84.createMultiPolygon(parts), o.path("properties"), o.get("id")));
            }
            default -> out.add(new Feature(null, o.path("properties"), o.get("id")));
        }
    }

    private static double[][][] decodeArcs(JsonNode topology) {
        JsonNode t = topology.get("transform");
        double sx = 1;
        double sy = 1;
        double tx = 0;
        double ty = 0;
        boolean quantized = t != null && !t.isNull();
        if (quantized) {
            sx = t.path("scale").get(0).asDouble();
            sy = t.path("scale").get(1).asDouble();
            tx = t.path("translate").get(0).asDouble();
            ty = t.path("translate").get(1).asDouble();
        }
        JsonNode arcsNode = topology.path("arcs");
        double[][][] arcs = new double[arcsNode.size()][][];
        for (int a = 0; a < arcs.length; a++) {
            JsonNode arc = arcsNode.get(a);
            double[][] pts = new double[arc.size()][2];
            long x = 0;
            long y = 0;
            for (int i = 0; i < pts.length; i++) {
                JsonNode p = arc.get(i);
                if (quantized) {
                    // Quantized arcs store the first position absolute and the rest as deltas.
                    x += p.get(0).asLong();
                    y += p.get(1).asLong();
                    pts[i][0] = x * sx + tx;
                    pts[i][1] = y * sy + ty;
                } else {
                    pts[i][0] = p.get(0).asDouble();
                    pts[i][1] = p.get(1).asDouble();
                }
            }
            arcs[a] = pts;
        }
        return arcs;
    }

    private Polygon polygon(JsonNode rings) {
        if (rings.isEmpty()) {
            return GeoJsonGeometry.WGS84.createPolygon();
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return GeoJsonGeometry.WGS84.createPolygon(shell, holes);
    }

    private LinearRing ring(JsonNode arcIndexes) {
        List<Coordinate> cs = new ArrayList<>();
        for (JsonNode idx : arcIndexes) {
            int i = idx.asInt();
            boolean reversed = i < 0;
            int a = reversed ? ~i : i;
            if (a >= arcs.length) {
                throw new IllegalArgumentException("TopoJSON arc index " + i + " out of range (" + arcs.length + " arcs)");
            }
            double[][] pts = arcs[a];
            for (int k = 0; k < pts.length; k++) {
                double[] p = pts[reversed ? pts.length - 1 - k : k];
                // Consecutive arcs share their joining position: keep it once.
                if (k == 0 && !cs.isEmpty()) {
                    continue;
                }
                cs.add(new Coordinate(p[0], p[1]));
            }
        }
        if (!cs.isEmpty() && !cs.get(0).equals2D(cs.get(cs.size() - 1))) {
            cs.add(cs.get(0).copy());
        }
        while (!cs.isEmpty() && cs.size() < 4) {
            cs.add(cs.get(0).copy()); // degenerate ring: kept so repair can drop it with a count
        }
        return GeoJsonGeometry.WGS84.createLinearRing(cs.toArray(new Coordinate[0]));
    }
}
