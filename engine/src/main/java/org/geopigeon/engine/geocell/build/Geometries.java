package org.geopigeon.engine.geocell.build;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/** Robust polygon overlay helpers (JTS OverlayNG with snapping fallbacks); results are always polygonal. */
final class Geometries {

    private Geometries() {
    }

    static Geometry empty() {
        return GeoJsonGeometry.WGS84.createMultiPolygon();
    }

    static Geometry union(Geometry a, Geometry b) {
        if (a.isEmpty()) {
            return polygonal(b);
        }
        if (b.isEmpty()) {
            return polygonal(a);
        }
        return polygonal(OverlayNGRobust.overlay(a, b, OverlayNG.UNION));
    }

    static Geometry union(Collection<Geometry> parts) {
        if (parts.isEmpty()) {
            return empty();
        }
        if (parts.size() == 1) {
            return polygonal(parts.iterator().next());
        }
        return polygonal(OverlayNGRobust.union(parts));
    }

    static Geometry intersection(Geometry a, Geometry b) {
        if (a.isEmpty() || b.isEmpty()) {
            return empty();
        }
        return polygonal(OverlayNGRobust.overlay(a, b, OverlayNG.INTERSECTION));
    }

    static Geometry difference(Geometry a, Geometry b) {
        if (a.isEmpty() || b.isEmpty()) {
            return polygonal(a);
        }
        return polygonal(OverlayNGRobust.overlay(a, b, OverlayNG.DIFFERENCE));
    }

    /** Keeps the polygon parts (overlays of touching polygons can add lines and points). */
    static Geometry polygonal(Geometry g) {
        if (g instanceof Polygon || g instanceof MultiPolygon) {
            return g;
        }
        List<Polygon> parts = new ArrayList<>();
        addPolygons(g, parts);
        return GeoJsonGeometry.WGS84.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    static List<Polygon> polygons(Geometry g) {
        List<Polygon> parts = new ArrayList<>();
        addPolygons(g, parts);
        return parts;
    }

    private static void addPolygons(Geometry g, List<Polygon> out) {
        if (g instanceof Polygon p) {
            if (!p.isEmpty()) {
                out.add(p);
            }
            return;
        }
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part != g) {
                addPolygons(part, out);
            }
        }
    }

    /** GeoJSON output keeps 7 decimals; snapping to that grid first keeps the written polygons valid. */
    private static final PrecisionModel OUTPUT_GRID = new PrecisionModel(1e7);

    /**
     * Valid MultiPolygon for output: snapped to the 1e-7 degree grid the geocell file is written
     * with (GeometryPrecisionReducer keeps it valid), repaired with GeometryFixer, then buffer(0) as
     * a last resort.
     */
    static MultiPolygon validMultiPolygon(Geometry g) {
        Geometry v = GeometryPrecisionReducer.reduce(g, OUTPUT_GRID);
        if (!v.isValid()) {
            v = GeometryFixer.fix(v);
            if (!v.isValid()) {
                v = v.buffer(0);
            }
        }
        return GeoJsonGeometry.toMultiPolygon(polygonal(v));
    }

    /** Each polygon part scaled about its own envelope centre (PIGEON grows cells by 1.01 to find neighbours). */
    static Geometry scaledParts(Geometry g, double factor) {
        List<Polygon> parts = polygons(g);
        Polygon[] scaled = new Polygon[parts.size()];
        for (int i = 0; i < scaled.length; i++) {
            Envelope e = parts.get(i).getEnvelopeInternal();
            AffineTransformation t = AffineTransformation.scaleInstance(factor, factor, e.centre().x, e.centre().y);
            scaled[i] = (Polygon) t.transform(parts.get(i));
        }
        return GeoJsonGeometry.WGS84.createMultiPolygon(scaled);
    }
}
