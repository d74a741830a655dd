package org.geopigeon.engine.geocell.build;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geo.PointMean;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * Fuses the cells of one country until none has fewer than MIN points (PIGEON's merge step).
 *
 * <p>Repeatedly a small cell is drawn at random (seeded, so runs repeat) and merged into one cell
 * of the first non-empty candidate group ({@link BuildOptions.FuseTarget}: PIGEON's LARGEST cell,
 * or the CLOSEST one by Ward's cost), the groups tried in this order:
 * <ol>
 *   <li>small neighbours in the same admin-1,</li>
 *   <li>any neighbour in the same admin-1,</li>
 *   <li>small neighbours elsewhere in the country,</li>
 *   <li>any neighbour in the country.</li>
 * </ol>
 * A neighbour is a cell that intersects the small cell's polygons each scaled by 1.01 about their
 * own centre (PIGEON); when there is none, again with scale 2. A neighbour is no candidate when a
 * point of the merged cell would lie farther than the radius limit from the merged cell's mean (not
 * in PIGEON; {@link BuildOptions#maxFuseRadiusKm()}): sparse admin units otherwise fuse into chains
 * across a country (Yukon to Newfoundland, Transbaikal to Vladivostok, Easter Island with mainland
 * Chile) and each of their photos is predicted at a centroid thousands of km away. The limit is on
 * the merged cell, so repeated merges cannot walk a cell across a country. A cell with no neighbour even then
 * (a remote island) is left out of fusing and stays below MIN, as in PIGEON: merging it into a
 * far-away cell would move that cell's centroid. A country whose points total less than MIN
 * becomes one cell. Cells never merge across countries.
 */
final class CellFuser {

    private final int minPoints;
    private final Random random;
    private final BuildOptions.FuseTarget target;
    private final double[] lons;
    private final double[] lats;
    private final double maxRadiusKm;

    /** PIGEON's rule (largest candidate), which needs no point positions. */
    CellFuser(int minPoints, Random random) {
        this(minPoints, random, BuildOptions.FuseTarget.LARGEST, null, null, Double.POSITIVE_INFINITY);
    }

    /** @param lons longitudes, @param lats latitudes of the points the cells index (needed for CLOSEST) */
    CellFuser(int minPoints, Random random, BuildOptions.FuseTarget target, double[] lons, double[] lats) {
        this(minPoints, random, target, lons, lats, Double.POSITIVE_INFINITY);
    }

    /**
     * @param maxRadiusKm a merge is refused when a point of the merged cell would lie farther than
     *                    this from the merged cell's mean (infinite: no limit; needs point positions)
     */
    CellFuser(int minPoints, Random random, BuildOptions.FuseTarget target, double[] lons, double[] lats,
              double maxRadiusKm) {
        boolean needsPositions = target == BuildOptions.FuseTarget.CLOSEST || maxRadiusKm != Double.POSITIVE_INFINITY;
        if (needsPositions && (lons == null || lats == null)) {
            throw new IllegalArgumentException("fusing into the closest cell or with a radius limit needs the point positions");
        }
        if (!(maxRadiusKm > 0)) {
            throw new IllegalArgumentException("max fused cell radius must be > 0 km, got " + maxRadiusKm);
        }
        this.minPoints = minPoints;
        this.random = random;
        this.target = target;
        this.lons = lons;
        this.lats = lats;
        this.maxRadiusKm = maxRadiusKm;
    }

    /** Fuses in place; {@code cells} are those of a single country. Returns how many merges happened. */
    int fuse(List<WorkCell> cells) {
        int merges = 0;
        java.util.Set<WorkCell> isolated = new java.util.HashSet<>();
        long total = cells.stream().mapToLong(WorkCell::count).sum();
        if (total < minPoints) {
            cells.sort(Comparator.comparingInt(WorkCell::count).reversed().thenComparing(c -> c.id));
            WorkCell keep = cells.get(0);
            for (int i = 1; i < cells.size(); i++) {
                keep.absorb(cells.get(i));
                merges++;
            }
            cells.retainAll(List.of(keep));
            return merges;
        }
        while (true) {
            List<WorkCell> small = new ArrayList<>();
            for (WorkCell c : cells) {
                if (c.count() < minPoints && !isolated.contains(c)) {
                    small.add(c);
                }
            }
            if (small.isEmpty()) {
                return merges;
            }
            small.sort(Comparator.comparing(c -> c.id));
            WorkCell s = small.get(random.nextInt(small.size()));
            WorkCell target = chooseTarget(s, cells);
            if (target == null) {
                isolated.add(s);
                continue;
            }
            target.absorb(s);
            cells.remove(s);
            merges++;
        }
    }

    private WorkCell chooseTarget(WorkCell s, List<WorkCell> cells) {
        for (double scale : new double[] {1.01, 2.0}) {
            List<WorkCell> neighbours = neighbours(s, cells, scale);
            WorkCell t = preferred(s, neighbours);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private List<WorkCell> neighbours(WorkCell s, List<WorkCell> cells, double scale) {
        Geometry grown = Geometries.scaledParts(s.geometry, scale);
        PreparedGeometry pg = PreparedGeometryFactory.prepare(grown);
        List<WorkCell> out = new ArrayList<>();
        for (WorkCell c : cells) {
            if (c != s && grown.getEnvelopeInternal().intersects(c.geometry.getEnvelopeInternal())
                    && pg.intersects(c.geometry) && withinRadius(s, c)) {
                out.add(c);
            }
        }
        return out;
    }

    private WorkCell preferred(WorkCell s, List<WorkCell> neighbours) {
        List<List<WorkCell>> tiers = List.of(
                neighbours.stream().filter(c -> c.admin1.equals(s.admin1) && c.count() < minPoints).toList(),
                neighbours.stream().filter(c -> c.admin1.equals(s.admin1)).toList(),
                neighbours.stream().filter(c -> !c.admin1.equals(s.admin1) && c.count() < minPoints).toList(),
                neighbours);
        for (List<WorkCell> tier : tiers) {
            if (tier.isEmpty()) {
                continue;
            }
            if (target == BuildOptions.FuseTarget.CLOSEST) {
                LatLon sm = mean(s);
                return tier.stream().min(Comparator.comparingDouble((WorkCell c) -> wardCost(s, sm, c))
                        .thenComparing(c -> c.id)).orElseThrow();
            }
            return tier.stream().max(Comparator.comparingInt(WorkCell::count)
                    .thenComparing(c -> c.id, Comparator.reverseOrder())).orElseThrow();
        }
        return null;
    }

    /**
     * Ward's merge cost: how much merging adds to the sum of squared distances (km²) from the points
     * to their cell's mean, n_s * n_c / (n_s + n_c) * |mean_s - mean_c|².
     */
    private double wardCost(WorkCell s, LatLon sMean, WorkCell c) {
        double km = Haversine.km(sMean, mean(c));
        return (double) s.count() * c.count() / (s.count() + c.count()) * km * km;
    }

    /** Whether every point of the two cells merged would lie within the radius limit of their common mean. */
    private boolean withinRadius(WorkCell a, WorkCell b) {
        if (maxRadiusKm == Double.POSITIVE_INFINITY) {
            return true;
        }
        LatLon ma = mean(a);
        LatLon mb = mean(b);
        double na = a.count();
        double nb = b.count();
        LatLon m = new LatLon((na * ma.lat() + nb * mb.lat()) / (na + nb), (na * ma.lon() + nb * mb.lon()) / (na + nb));
        return radiusKm(a, m) <= maxRadiusKm && radiusKm(b, m) <= maxRadiusKm;
    }

    private double radiusKm(WorkCell c, LatLon centre) {
        double max = 0;
        for (int i : c.points) {
            max = Math.max(max, Haversine.km(centre, new LatLon(lats[i], lons[i])));
        }
        return max;
    }

    /** Mean of the cell's points, as the geocell centroid is computed. */
    private LatLon mean(WorkCell c) {
        double[] lat = new double[c.points.length];
        double[] lon = new double[c.points.length];
        for (int j = 0; j < lat.length; j++) {
            lat[j] = lats[c.points[j]];
            lon[j] = lons[c.points[j]];
        }
        return PointMean.of(lat, lon, null);
    }
}
