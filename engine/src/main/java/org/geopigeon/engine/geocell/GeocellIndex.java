package org.geopigeon.engine.geocell;

import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.geopigeon.engine.io.GeoJsonGeometry;

/**
 * Finds the geocell of a point: the first cell whose polygon covers it, else the cell with the
 * nearest centroid (PIGEON's labelling rule). Thread-safe after construction.
 */
public final class GeocellIndex {

    private final GeocellSet cells;
    private final STRtree tree = new STRtree();
    private final PreparedGeometry[] prepared;

    public GeocellIndex(GeocellSet cells) {
        this.cells = cells;
        this.prepared = new PreparedGeometry[cells.size()];
        for (Geocell c : cells.cells()) {
            prepared[c.index()] = PreparedGeometryFactory.prepare(c.geometry());
            tree.insert(c.geometry().getEnvelopeInternal(), c.index());
        }
        tree.build();
    }

    /** The geocells this index searches. */
    public GeocellSet cells() {
        return cells;
    }

    /** Index of the cell whose polygon covers the point, or -1. */
    public int covering(LatLon p) {
        Point pt = GeoJsonGeometry.WGS84.createPoint(new Coordinate(p.lon(), p.lat()));
        @SuppressWarnings("unchecked")
        List<Integer> hits = tree.query(new Envelope(pt.getCoordinate()));
        int best = -1;
        for (int i : hits) {
            if (prepared[i].covers(pt) && (best < 0 || i < best)) {
                best = i; // lowest class index wins on shared borders: deterministic
            }
        }
        return best;
    }

    /** Covering cell, else nearest centroid by great-circle distance. */
    public int locate(LatLon p) {
        int c = covering(p);
        return c >= 0 ? c : nearestCentroid(p);
    }

    /**
     * Index of the cell whose centroid is nearest by great-circle distance (ties to the lower index); the fallback of
     * {@link #locate} for points no polygon covers.
     */
    public int nearestCentroid(LatLon p) {
        int best = -1;
        double bestKm = Double.POSITIVE_INFINITY;
        for (Geocell c : cells.cells()) {
            double d = Haversine.km(p, c.centroid());
            if (d < bestKm) {
                bestKm = d;
                best = c.index();
            }
        }
        return best;
    }
}
