package org.geopigeon.engine.geocell.build;

import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.ItemBoundable;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Point-in-polygon lookup over a list of polygons: the lowest-index polygon covering the point,
 * else the nearest polygon (planar distance in degrees, the rule PIGEON applies to points outside
 * every boundary). Thread-safe after construction.
 */
final class PolygonIndex {

    private final Geometry[] geometries;
    private final PreparedGeometry[] prepared;
    private final STRtree tree = new STRtree();

    PolygonIndex(List<Geometry> polygons) {
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("no polygons to index");
        }
        geometries = polygons.toArray(new Geometry[0]);
        prepared = new PreparedGeometry[geometries.length];
        for (int i = 0; i < geometries.length; i++) {
            prepared[i] = PreparedGeometryFactory.prepare(geometries[i]);
            tree.insert(geometries[i].getEnvelopeInternal(), i);
        }
        tree.build();
    }

    /** Lowest index of a polygon covering the point, or -1. */
    int covering(Point p) {
        @SuppressWarnings("unchecked")
        List<Integer> hits = tree.query(new Envelope(p.getCoordinate()));
        int best = -1;
        for (int i : hits) {
            if ((best < 0 || i < best) && prepared[i].covers(p)) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the polygon nearest to the geometry (distance 0 when touching/inside). */
    int nearest(Geometry g) {
        Object hit = tree.nearestNeighbour(g.getEnvelopeInternal(), g, (ItemBoundable a, ItemBoundable b) -> {
            Geometry ga = a.getItem() instanceof Integer i ? geometries[i] : (Geometry) a.getItem();
            Geometry gb = b.getItem() instanceof Integer j ? geometries[j] : (Geometry) b.getItem();
            return ga.distance(gb);
        });
        return (Integer) hit;
    }

    int locate(Point p) {
        int c = covering(p);
        return c >= 0 ? c : nearest(p);
    }
}
