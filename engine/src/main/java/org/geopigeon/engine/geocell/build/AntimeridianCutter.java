package org.geopigeon.engine.geocell.build;

import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Cuts spherical polygons that are stitched across the antimeridian into planar pieces inside [-180, 180]
 * (the one implementation: {@link BoundaryReader} cuts stitched input with it, and tools/make_boundaries.sh runs it
 * through the bench main {@code org.geopigeon.bench.samples.AntimeridianCut}).
 *
 * <p>world-atlas (d3's geostitch) and GeoJSON made from it are not cut at +-180: a ring crossing the antimeridian
 * steps straight from e.g. 179.8 to -180, and Antarctica is a ring around the South Pole. Read as planar rings these
 * run across the whole map. Each such ring is unwrapped (longitude jumps over 180 degrees undone), a ring whose net
 * longitude change is +-360 is closed through the pole it encircles, and the unwrapped shape is folded back onto
 * [-180, 180] by intersecting it with 360-wide strips.
 *
 * <p>Polygons whose rings have no such jump are returned as the same objects, so already-cut data is unchanged.
 */
public final class AntimeridianCutter {

    /** A step longer than this between consecutive vertices crosses the antimeridian; no real edge is that long. */
    static final double MAX_STEP = 180.0;

    private static final GeometryFactory GF = GeoJsonGeometry.WGS84;

    private AntimeridianCutter() {
    }

    /**
     * True when some ring of the polygonal geometry is stitched across the antimeridian: it jumps more than 180
     * degrees of longitude between two vertices (a ring around a pole always does: its net longitude change is 0 in
     * [-180, 180] but +-360 once unwrapped), and is not a polar cap already cut at the map edges.
     */
    public static boolean needsCut(Geometry polygonal) {
        for (int i = 0; i < polygonal.getNumGeometries(); i++) {
            if (polygonal.getGeometryN(i) instanceof Polygon p && needsCut(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The geometry cut at the antimeridian, or {@code polygonal} itself when no ring crosses it. Parts that do not
     * cross are kept as the same objects; the result of a cut is a MultiPolygon (invalid only where the input had
     * other defects, e.g. overlapping parts, which the caller repairs as usual).
     *
     * @param polygonal a Polygon or MultiPolygon with x = longitude in [-180, 180]
     */
    public static Geometry cut(Geometry polygonal) {
        if (!(polygonal instanceof Polygonal)) {
            throw new IllegalArgumentException("antimeridian cut needs a Polygon or MultiPolygon, not "
                    + polygonal.getGeometryType());
        }
        if (!needsCut(polygonal)) {
            return polygonal;
        }
        List<Polygon> parts = new ArrayList<>();
        for (int i = 0; i < polygonal.getNumGeometries(); i++) {
            Polygon p = (Polygon) polygonal.getGeometryN(i);
            if (needsCut(p)) {
                addPolygons(cutPolygon(p), parts);
            } else {
                parts.add(p);
            }
        }
        return GF.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    private static boolean needsCut(Polygon p) {
        if (p.isEmpty()) {
            return false;
        }
        if (stitched(p.getExteriorRing())) {
            return true;
        }
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
            if (stitched(p.getInteriorRingN(h))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A ring with a step over 180 degrees of longitude, unless it is a polar cap that is already cut: one running
     * the full width of the map, down both map edges x = -180 and x = 180, and back along the pole line in one long
     * edge (Natural Earth's Antarctica, or what this class writes). A stitched ring never runs along both
     * map edges and around a pole; a stitched ring that crosses and comes back (wind 0) is always treated as stitched,
     * even where its planar reading would be a valid band around the world, because no admin unit is such a band.
     */
    private static boolean stitched(LineString ring) {
        Coordinate[] cs = ring.getCoordinates();
        boolean jump = false;
        for (int i = 1; i < cs.length && !jump; i++) {
            jump = Math.abs(cs[i].x - cs[i - 1].x) > MAX_STEP;
        }
        if (!jump) {
            return false;
        }
        boolean polar = Math.abs(unwrap(cs).get(cs.length - 1).x - cs[0].x) > MAX_STEP;
        return !(polar && alongMapEdge(cs, 180) && alongMapEdge(cs, -180));
    }

    private static boolean alongMapEdge(Coordinate[] cs, double x) {
        for (int i = 1; i < cs.length; i++) {
            if (cs[i].x == x && cs[i - 1].x == x && cs[i].y != cs[i - 1].y) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ring's vertices with every longitude step over 180 degrees taken the short way round. Whole turns are kept
     * as an offset so vertices between jumps keep their exact longitude and a ring that comes back closes exactly.
     */
    private static List<Coordinate> unwrap(Coordinate[] cs) {
        List<Coordinate> pts = new ArrayList<>(cs.length + 3);
        double offset = 0;
        pts.add(new Coordinate(cs[0].x, cs[0].y));
        for (int i = 1; i < cs.length; i++) {
            double step = cs[i].x - cs[i - 1].x;
            if (Math.abs(step) > MAX_STEP) {
                offset -= Math.signum(step) * 360;
            }
            pts.add(new Coordinate(cs[i].x + offset, cs[i].y));
        }
        return pts;
    }

    /**
     * One spherical polygon as planar polygons. A polar ring bounds the region on its right (d3's winding rule, which
     * world-atlas follows): going east it encloses the South Pole, going west the North Pole. A polar hole therefore
     * keeps the side towards its pole (intersection), an ordinary hole is subtracted.
     */
    private static Geometry cutPolygon(Polygon p) {
        Geometry region = region(p.getExteriorRing()).area();
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
            Region hole = region(p.getInteriorRingN(h));
            int op = hole.polar() ? OverlayNG.INTERSECTION : OverlayNG.DIFFERENCE;
            region = polygonsOf(OverlayNGRobust.overlay(region, hole.area(), op));
        }
        return region;
    }

    /** The planar area a ring bounds, folded onto [-180, 180], and whether the ring winds around a pole. */
    private record Region(Geometry area, boolean polar) {
    }

    private static Region region(LineString ring) {
        Coordinate[] cs = ring.getCoordinates();
        if (cs.length < 4) {
            return new Region(GF.createPolygon(), false);
        }
        if (!stitched(ring)) {
            // An ordinary or already-cut ring inside a polygon that has stitched rings: its planar inside.
            return new Region(valid(GF.createPolygon(cs)), false);
        }
        List<Coordinate> pts = unwrap(cs);
        double x0 = cs[0].x;
        double x1 = pts.get(pts.size() - 1).x;
        double wind = x1 - x0;
        boolean polar = Math.abs(wind) > MAX_STEP;
        if (polar) {
            double pole = wind > 0 ? -90 : 90;
            pts.add(new Coordinate(x1, pole));
            pts.add(new Coordinate(x0, pole));
            pts.add(pts.get(0).copy());
        }
        return new Region(fold(valid(GF.createPolygon(pts.toArray(new Coordinate[0])))), polar);
    }

    private static Geometry valid(Polygon p) {
        return p.isValid() ? p : polygonsOf(GeometryFixer.fix(p));
    }

    /** Folds every 360-wide strip of an unwrapped shape back onto [-180, 180]. */
    private static Geometry fold(Geometry shape) {
        Envelope env = shape.getEnvelopeInternal();
        int kMin = (int) Math.floor((env.getMinX() + 180) / 360);
        int kMax = (int) Math.ceil((env.getMaxX() - 180) / 360);
        List<Geometry> pieces = new ArrayList<>();
        for (int k = kMin; k <= kMax; k++) {
            Geometry strip = GF.toGeometry(new Envelope(-180 + 360.0 * k, 180 + 360.0 * k, -90, 90));
            Geometry piece = polygonsOf(OverlayNGRobust.overlay(shape, strip, OverlayNG.INTERSECTION));
            if (piece.isEmpty()) {
                continue;
            }
            pieces.add(k == 0 ? piece : AffineTransformation.translationInstance(-360.0 * k, 0).transform(piece));
        }
        if (pieces.isEmpty()) {
            return GF.createPolygon();
        }
        return pieces.size() == 1 ? pieces.get(0) : polygonsOf(OverlayNGRobust.union(pieces));
    }

    /** Only the areal part (overlay results can carry lines or points along a cut). */
    private static Geometry polygonsOf(Geometry g) {
        if (g instanceof Polygonal) {
            return g;
        }
        List<Polygon> parts = new ArrayList<>();
        addPolygons(g, parts);
        return GF.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    private static void addPolygons(Geometry g, List<Polygon> out) {
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Geometry part = g.getGeometryN(i);
            if (part instanceof Polygon p) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            } else if (part instanceof MultiPolygon || part.getNumGeometries() > 1) {
                addPolygons(part, out);
            }
        }
    }
}
