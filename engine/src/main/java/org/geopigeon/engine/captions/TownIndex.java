package org.geopigeon.engine.captions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Towns with a spatial index: which towns lie inside a cell, which are nearest to a point. Distances are
 * great-circle ({@link Haversine}), so a town at 179.9°W is 10 km from a point at 179.9°E, not 40,000.
 * Immutable and thread-safe after construction.
 */
public final class TownIndex {

    private static final List<String> HEADER = List.of("name", "lat", "lon", "country", "population");
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private final List<Town> towns;
    private final STRtree tree = new STRtree();

    /** @param towns any order; ties in every query are broken by population, then name */
    public TownIndex(List<Town> towns) {
        this.towns = List.copyOf(towns);
        for (int i = 0; i < this.towns.size(); i++) {
            LatLon p = this.towns.get(i).location();
            tree.insert(new Envelope(p.lon(), p.lon(), p.lat(), p.lat()), i);
        }
        tree.build();
    }

    /**
     * Parses {@code towns.tsv} (name, lat, lon, country, population).
     *
     * @throws IOException naming the source and line of a malformed row or an impossible coordinate
     */
    public static TownIndex parse(String source, String tsv) throws IOException {
        List<List<String>> rows = Tsv.rows(source, tsv, HEADER);
        List<Town> towns = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            try {
                towns.add(new Town(r.get(0), new LatLon(Double.parseDouble(r.get(1)), Double.parseDouble(r.get(2))),
                        r.get(3), Long.parseLong(r.get(4))));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": line " + (i + 2) + ": " + e.getMessage(), e);
            }
        }
        return new TownIndex(towns);
    }

    /** Number of towns indexed. */
    public int size() {
        return towns.size();
    }

    /** Up to {@code k} towns covered by {@code area} (lon/lat polygons), largest population first. */
    public List<Town> inside(Geometry area, int k) {
        PreparedGeometry prepared = PreparedGeometryFactory.prepare(area);
        List<Town> hits = new ArrayList<>();
        for (Object o : tree.query(area.getEnvelopeInternal())) {
            Town t = towns.get((Integer) o);
            Point p = GEOMETRY.createPoint(new Coordinate(t.location().lon(), t.location().lat()));
            if (prepared.covers(p)) {
                hits.add(t);
            }
        }
        hits.sort(Comparator.comparingLong(Town::population).reversed().thenComparing(Town::name));
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    /** Up to {@code k} towns within {@code maxKm} of {@code p}, nearest first (great-circle distance). */
    public List<Town> nearest(LatLon p, double maxKm, int k) {
        record Hit(Town town, double km) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Town t : towns) {
            double km = Haversine.km(p.lat(), p.lon(), t.location().lat(), t.location().lon());
            if (km <= maxKm) {
                hits.add(new Hit(t, km));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::km).thenComparing(h -> h.town().name()));
        return hits.stream().limit(k).map(Hit::town).toList();
    }
}
