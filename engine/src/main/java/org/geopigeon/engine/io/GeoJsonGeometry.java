package org.geopigeon.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Converts between RFC 7946 GeoJSON geometry objects (Jackson trees) and JTS geometries.
 * Coordinates stay in GeoJSON order: x = longitude, y = latitude, SRID 4326.
 */
public final class GeoJsonGeometry {

    public static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), 4326);

    private GeoJsonGeometry() {
    }

    /**
     * A JTS geometry (x = longitude, y = latitude) from a GeoJSON geometry object (RFC 7946, section 3.1): Point,
     * LineString, Polygon, their Multi forms and GeometryCollection.
     *
     * @throws IllegalArgumentException when the node is missing, of an unknown type, or has malformed coordinates
     */
    public static Geometry read(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("GeoJSON geometry is missing");
        }
        String type = node.path("type").asText("");
        if (type.equals("GeometryCollection")) {
            JsonNode members = node.path("geometries");
            Geometry[] parts = new Geometry[members.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = read(members.get(i));
            }
            return WGS84.createGeometryCollection(parts);
        }
        JsonNode c = node.get("coordinates");
        if (c == null || !c.isArray()) {
            throw new IllegalArgumentException("GeoJSON " + type + " has no coordinates array");
        }
        return switch (type) {
            case "Point" -> WGS84.createPoint(coordinate(c));
            case "MultiPoint" -> WGS84.createMultiPointFromCoords(coordinates(c));
            case "LineString" -> WGS84.createLineString(coordinates(c));
            case "MultiLineString" -> {
                LineString[] lines = new LineString[c.size()];
                for (int i = 0; i < lines.length; i++) {
                    lines[i] = WGS84.createLineString(coordinates(c.get(i)));
                }
                yield WGS84.createMultiLineString(lines);
            }
            case "Polygon" -> polygon(c);
            case "MultiPolygon" -> {
                Polygon[] polys = new Polygon[c.size()];
                for (int i = 0; i < polys.length; i++) {
                    polys[i] = polygon(c.get(i));
                }
                yield WGS84.createMultiPolygon(polys);
            }
            default -> throw new IllegalArgumentException("unsupported GeoJSON geometry type '" + type + "'");
        };
    }

    /**
     * The GeoJSON geometry object (RFC 7946, section 3.1) of a JTS geometry, coordinates as [x, y] = [lon, lat].
     *
     * @throws IllegalArgumentException for a geometry type GeoJSON has no form for
     */
    public static ObjectNode write(Geometry g) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (g instanceof Point p) {
            node.put("type", "Point");
            node.set("coordinates", position(p.getCoordinate()));
        } else if (g instanceof Polygon p) {
            node.put("type", "Polygon");
            node.set("coordinates", rings(p));
        } else if (g instanceof MultiPolygon mp) {
            node.put("type", "MultiPolygon");
            ArrayNode polys = node.putArray("coordinates");
            for (int i = 0; i < mp.getNumGeometries(); i++) {
                polys.add(rings((Polygon) mp.getGeometryN(i)));
            }
        } else if (g instanceof LineString ls) {
            node.put("type", "LineString");
            node.set("coordinates", positions(ls.getCoordinates()));
        } else if (g instanceof MultiPoint mp) {
            node.put("type", "MultiPoint");
            node.set("coordinates", positions(mp.getCoordinates()));
        } else if (g instanceof MultiLineString ml) {
            node.put("type", "MultiLineString");
            ArrayNode lines = node.putArray("coordinates");
            for (int i = 0; i < ml.getNumGeometries(); i++) {
                lines.add(positions(ml.getGeometryN(i).getCoordinates()));
            }
        } else if (g instanceof GeometryCollection gc) {
            node.put("type", "GeometryCollection");
            ArrayNode members = node.putArray("geometries");
            for (int i = 0; i < gc.getNumGeometries(); i++) {
                members.add(write(gc.getGeometryN(i)));
            }
        } else {
            throw new IllegalArgumentException("unsupported geometry " + g.getGeometryType());
        }
        return node;
    }

    /** Wraps a Polygon as a one-part MultiPolygon; returns MultiPolygons unchanged; polygonal parts of collections are kept. */
    public static MultiPolygon toMultiPolygon(Geometry g) {
        if (g instanceof MultiPolygon mp) {
            return mp;
        }
        if (g instanceof Polygon p) {
            return WGS84.createMultiPolygon(new Polygon[] {p});
        }
        java.util.List<Polygon> parts = new java.util.ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part instanceof Polygon p) {
                parts.add(p);
            } else if (part instanceof MultiPolygon mp) {
                for (int j = 0; j < mp.getNumGeometries(); j++) {
                    parts.add((Polygon) mp.getGeometryN(j));
                }
            }
        }
        return WGS84.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    private static Polygon polygon(JsonNode rings) {
        if (rings.isEmpty()) {
            return WGS84.createPolygon();
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return WGS84.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode positions) {
        Coordinate[] cs = coordinates(positions);
        if (cs.length > 0 && !cs[0].equals2D(cs[cs.length - 1])) {
            // Some producers omit the closing position; RFC 7946 requires it, JTS too.
            Coordinate[] closed = java.util.Arrays.copyOf(cs, cs.length + 1);
            closed[cs.length] = cs[0].copy();
            cs = closed;
        }
        if (cs.length > 0 && cs.length < 4) {
            throw new IllegalArgumentException("GeoJSON ring has " + cs.length + " positions; at least 4 are required");
        }
        return WGS84.createLinearRing(cs);
    }

    private static Coordinate[] coordinates(JsonNode positions) {
        Coordinate[] cs = new Coordinate[positions.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = coordinate(positions.get(i));
        }
        return cs;
    }

    private static Coordinate coordinate(JsonNode position) {
        if (!position.isArray() || position.size() < 2) {
            throw new IllegalArgumentException("GeoJSON position must be [lon, lat], got " + position);
        }
        return new Coordinate(position.get(0).asDouble(), position.get(1).asDouble());
    }

    private static ArrayNode rings(Polygon p) {
        ArrayNode rings = JsonNodeFactory.instance.arrayNode();
        rings.add(positions(p.getExteriorRing().getCoordinates()));
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            rings.add(positions(p.getInteriorRingN(i).getCoordinates()));
        }
        return rings;
    }

    private static ArrayNode positions(Coordinate[] cs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Coordinate c : cs) {
            a.add(position(c));
        }
        return a;
    }

    private static ArrayNode position(Coordinate c) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        // 7 decimals = 1 cm: enough for cell polygons and keeps files small.
        a.add(Math.round(c.x * 1e7) / 1e7);
        a.add(Math.round(c.y * 1e7) / 1e7);
        return a;
    }
}
