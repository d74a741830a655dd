package org.geopigeon.engine.geocell.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geopigeon.engine.cluster.EuclideanPoints2D;
import org.geopigeon.engine.cluster.Optics;
import org.geopigeon.engine.cluster.OpticsResult;
import org.geopigeon.engine.cluster.XiClusters;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Splits a cell with more than MAX points (PIGEON's split step).
 *
 * <p>OPTICS (xi extraction) runs on the cell's raw (lon, lat) points in rounds of growing
 * min_samples until one yields a split. PIGEOTTO's rounds are (min_samples, xi) = (300, 0.05),
 * (400, 0.005), (1000, 0.0001) for MIN = 1000; we scale min_samples with MIN:
 * {@code max(2, round(base * MIN / 1000))} (MIN = 30 gives 9, 12, 30), min_cluster_size =
 * min_samples. Clusters with fewer than MIN points become noise. Then:
 * <ul>
 *   <li>one cluster + noise: the cluster is carved out — the union of the Voronoi polygons of its
 *       points (duplicates merged), clipped to the cell, is a new cell; the rest stays;</li>
 *   <li>two or more clusters: every point (noise included) joins the nearest cluster mean and the
 *       Voronoi polygons of the means, clipped to the cell, give one cell per cluster — points are
 *       assigned by nearest mean so each point lies in its new cell's polygon.</li>
 * </ul>
 * Pieces of a new cell that hold none of its points (fragments cut off by the split) go to the
 * sibling sharing the longest boundary with them. A round whose split would leave a new cell
 * without area is skipped.
 */
final class CellSplitter {

    /**
     * One OPTICS round.
     *
     * @param minSamples OPTICS min_samples (and min_cluster_size)
     * @param xi         steepness threshold of the xi cluster extraction
     */
    record Round(int minSamples, double xi) {
    }

    /** PIGEOTTO's OPTICS rounds (min_samples for MIN = 1000, xi). */
    static final List<Round> PIGEOTTO_ROUNDS = List.of(new Round(300, 0.05), new Round(400, 0.005), new Round(1000, 0.0001));
    /** PIGEON's rounds (min_samples for MIN = 30, xi), tried after PIGEOTTO's. */
    static final List<Round> PIGEON_ROUNDS = List.of(new Round(8, 0.05), new Round(10, 0.025), new Round(15, 0.015));

    /**
     * A successful split.
     *
     * @param parts     the new cells (two or more), together holding the cell's points and area
     * @param bisection true when the principal-axis bisection fallback made it, not an OPTICS round
     */
    record Split(List<WorkCell> parts, boolean bisection) {
    }

    private final int minPoints;
    private final boolean bisectFallback;
    private final double[] lons;
    private final double[] lats;

    CellSplitter(int minPoints, boolean bisectFallback, double[] lons, double[] lats) {
        this.minPoints = minPoints;
        this.bisectFallback = bisectFallback;
        this.lons = lons;
        this.lats = lats;
    }

    static int scaledMinSamples(double base, double baseMin, int minPoints) {
        return Math.max(2, (int) Math.round(base * minPoints / baseMin));
    }

    /** The (min_samples, xi) rounds for this MIN: PIGEOTTO's scaled from MIN 1000, then PIGEON's scaled from MIN 30. */
    List<Round> rounds() {
        List<Round> rounds = new ArrayList<>();
        for (Round r : PIGEOTTO_ROUNDS) {
            rounds.add(new Round(scaledMinSamples(r.minSamples(), 1000, minPoints), r.xi()));
        }
        for (Round r : PIGEON_ROUNDS) {
            rounds.add(new Round(scaledMinSamples(r.minSamples(), 30, minPoints), r.xi()));
        }
        return rounds;
    }

    /** The split of a cell, or empty when no round splits it (and the bisection fallback is off or fails too). */
    Optional<Split> split(WorkCell cell) {
        int n = cell.count();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lons[cell.points[i]];
            y[i] = lats[cell.points[i]];
        }
        EuclideanPoints2D data = new EuclideanPoints2D(x, y);
        for (Round round : rounds()) {
            int minSamples = Math.min(n, round.minSamples());
            if (minSamples < 2) {
                continue;
            }
            OpticsResult r = Optics.run(data, minSamples);
            int[] labels = XiClusters.labels(r, round.xi(), minSamples, true);
            int clusters = dropSmallClusters(labels);
            List<WorkCell> parts = null;
            if (clusters == 1) {
                parts = carve(cell, x, y, labels);
            } else if (clusters >= 2) {
                parts = byClusterMeans(cell, x, y, labels, clusters);
            }
            if (parts != null) {
                return Optional.of(new Split(parts, false));
            }
        }
        if (bisectFallback) {
            return Optional.ofNullable(bisect(cell, x, y)).map(parts -> new Split(parts, true));
        }
        return Optional.empty();
    }

    /**
     * Fallback for cells no OPTICS round splits (evenly spread points): {@link #principalAxisCut},
     * then split like two clusters (nearest group mean, Voronoi of means).
     */
    private List<WorkCell> bisect(WorkCell cell, double[] x, double[] y) {
        return byClusterMeans(cell, x, y, principalAxisCut(x, y, minPoints), 2);
    }

    /**
     * Two groups (labels 0 / 1) from one straight cut across the principal axis of the points: of
     * the cuts leaving at least {@code minSide} points on each side (fewer if there are not 2 *
     * minSide points), the one with the least total squared distance of the points to their
     * group's mean — the spread a centroid prediction pays for. A median cut of the wider
     * coordinate halves a city and its suburbs alike; this cut follows gaps in the points.
     * Coordinates are raw (lon, lat) degrees like the Voronoi split that follows. Never cuts
     * between points at the same position along the axis.
     */
    static int[] principalAxisCut(double[] x, double[] y, int minSide) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double theta = 0.5 * Math.atan2(2 * sxy, sxx - syy); // direction of the largest variance
        double ux = Math.cos(theta);
        double uy = Math.sin(theta);
        double[] along = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            along[i] = x[i] * ux + y[i] * uy;
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> along[a] != along[b] ? Double.compare(along[a], along[b])
                : Integer.compare(a, b));
        // prefix sums of x, y, x² + y² in axis order: the squared spread of any prefix / suffix in O(1)
        double[] px = new double[n + 1];
        double[] py = new double[n + 1];
        double[] pq = new double[n + 1];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            px[r + 1] = px[r] + x[i];
            py[r + 1] = py[r] + y[i];
            pq[r + 1] = pq[r] + x[i] * x[i] + y[i] * y[i];
        }
        int side = Math.max(1, Math.min(minSide, n / 2));
        int bestCut = n / 2;
        double best = Double.POSITIVE_INFINITY;
        for (int k = side; k <= n - side; k++) {
            if (along[order[k - 1]] == along[order[k]]) {
                continue;
            }
            double first = pq[k] - (px[k] * px[k] + py[k] * py[k]) / k;
            double rx = px[n] - px[k];
            double ry = py[n] - py[k];
            double second = pq[n] - pq[k] - (rx * rx + ry * ry) / (n - k);
            if (first + second < best) {
                best = first + second;
                bestCut = k;
            }
        }
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[order[r]] = r < bestCut ? 0 : 1;
        }
        return labels;
    }

    /** Relabels clusters below MIN as noise and renumbers the rest 0..k-1; returns k. */
    private int dropSmallClusters(int[] labels) {
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int l : labels) {
            if (l >= 0) {
                sizes.merge(l, 1, Integer::sum);
            }
        }
        Map<Integer, Integer> renumber = new LinkedHashMap<>();
        for (int l : labels) {
            if (l >= 0 && sizes.get(l) >= minPoints && !renumber.containsKey(l)) {
                renumber.put(l, renumber.size());
            }
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labels[i] >= 0 && renumber.containsKey(labels[i]) ? renumber.get(labels[i]) : -1;
        }
        return renumber.size();
    }

    private List<WorkCell> carve(WorkCell cell, double[] x, double[] y, int[] labels) {
        int noise = 0;
        for (int l : labels) {
            if (l < 0) {
                noise++;
            }
        }
        if (noise == 0) {
            return null;
        }
        // One Voronoi site per distinct position; a shared position goes to the cluster if any copy is in it.
        Map<Coordinate, Integer> siteGroup = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            int g = labels[i] >= 0 ? 0 : 1;
            siteGroup.merge(new Coordinate(x[i], y[i]), g, Math::min);
        }
        if (siteGroup.size() < 2 || !siteGroup.containsValue(0) || !siteGroup.containsValue(1)) {
            return null;
        }
        int[] group = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            group[i] = siteGroup.get(new Coordinate(x[i], y[i]));
        }
        Geometry diagram = voronoi(new ArrayList<>(siteGroup.keySet()), cell);
        List<Geometry> clusterPolys = new ArrayList<>();
        List<Geometry> noisePolys = new ArrayList<>();
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            Geometry cellPoly = diagram.getGeometryN(i);
            Integer g = siteGroup.get((Coordinate) cellPoly.getUserData());
            (g != null && g == 0 ? clusterPolys : noisePolys).add(cellPoly);
        }
        // Union the smaller side; the other side is the rest of the cell, so the two tile it exactly.
        boolean clusterSmaller = clusterPolys.size() <= noisePolys.size();
        Geometry smallSide = Geometries.intersection(
                Geometries.union(clusterSmaller ? clusterPolys : noisePolys), cell.geometry);
        Geometry rest = Geometries.difference(cell.geometry, smallSide);
        Geometry clusterArea = clusterSmaller ? smallSide : rest;
        Geometry noiseArea = clusterSmaller ? rest : smallSide;
        return finish(cell, x, y, group, new Geometry[] {clusterArea, noiseArea});
    }

    private List<WorkCell> byClusterMeans(WorkCell cell, double[] x, double[] y, int[] labels, int k) {
        double[] mx = new double[k];
        double[] my = new double[k];
        int[] cnt = new int[k];
        for (int i = 0; i < x.length; i++) {
            if (labels[i] >= 0) {
                mx[labels[i]] += x[i];
                my[labels[i]] += y[i];
                cnt[labels[i]]++;
            }
        }
        List<Coordinate> sites = new ArrayList<>();
        Map<Coordinate, Integer> siteIndex = new HashMap<>();
        for (int c = 0; c < k; c++) {
            Coordinate m = new Coordinate(mx[c] / cnt[c], my[c] / cnt[c]);
            if (siteIndex.putIfAbsent(m, sites.size()) == null) {
                sites.add(m);
            }
        }
        if (sites.size() < 2) {
            return null;
        }
        int[] group = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int s = 0; s < sites.size(); s++) {
                double dx = x[i] - sites.get(s).x;
                double dy = y[i] - sites.get(s).y;
                double d = dx * dx + dy * dy;
                if (d < best) {
                    best = d;
                    group[i] = s;
                }
            }
        }
        Geometry diagram = voronoi(sites, cell);
        Geometry[] areas = new Geometry[sites.size()];
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            Geometry poly = diagram.getGeometryN(i);
            Integer s = siteIndex.get((Coordinate) poly.getUserData());
            if (s != null) {
                areas[s] = Geometries.intersection(poly, cell.geometry);
            }
        }
        for (int s = 0; s < areas.length; s++) {
            if (areas[s] == null) {
                areas[s] = Geometries.empty();
            }
        }
        return finish(cell, x, y, group, areas);
    }

    private static Geometry voronoi(List<Coordinate> sites, WorkCell cell) {
        Envelope clip = new Envelope(cell.geometry.getEnvelopeInternal());
        for (Coordinate c : sites) {
            clip.expandToInclude(c);
        }
        clip.expandBy(Math.max(1e-6, 0.1 * Math.max(clip.getWidth(), clip.getHeight())));
        VoronoiDiagramBuilder b = new VoronoiDiagramBuilder();
        b.setSites(sites);
        b.setClipEnvelope(clip);
        return b.getDiagram(GeoJsonGeometry.WGS84);
    }

    /** Builds the new cells from point groups and their areas; null when a group is empty or has no area. */
    private List<WorkCell> finish(WorkCell cell, double[] x, double[] y, int[] group, Geometry[] areas) {
        int k = areas.length;
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < group.length; i++) {
            members.get(group[i]).add(i);
        }
        for (int g = 0; g < k; g++) {
            if (members.get(g).isEmpty() || areas[g].isEmpty()) {
                return null;
            }
        }
        reassignFragments(areas, members, x, y);
        List<WorkCell> out = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            int[] pts = members.get(g).stream().mapToInt(i -> cell.points[i]).toArray();
            out.add(new WorkCell(cell.id + "-" + (g + 1), cell.name, cell.admin1, cell.country, areas[g], pts));
        }
        return out;
    }

    private record Fragment(Geometry piece, int from) {
    }

    /** Moves point-free polygon pieces to the sibling with the longest shared boundary (nearest if none touches). */
    private static void reassignFragments(Geometry[] areas, List<List<Integer>> members, double[] x, double[] y) {
        int k = areas.length;
        List<Fragment> moves = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            List<Polygon> parts = Geometries.polygons(areas[g]);
            if (parts.size() < 2) {
                continue;
            }
            List<Geometry> keep = new ArrayList<>();
            List<Geometry> fragments = new ArrayList<>();
            for (Polygon p : parts) {
                PreparedGeometry pp = PreparedGeometryFactory.prepare(p);
                boolean holdsPoint = false;
                for (int i : members.get(g)) {
                    Point pt = GeoJsonGeometry.WGS84.createPoint(new Coordinate(x[i], y[i]));
                    if (pp.covers(pt)) {
                        holdsPoint = true;
                        break;
                    }
                }
                (holdsPoint ? keep : fragments).add(p);
            }
            if (keep.isEmpty()) {
                continue; // its points all lie off its polygons (outside the boundaries): leave the area alone
            }
            areas[g] = Geometries.union(keep);
            for (Geometry f : fragments) {
                moves.add(new Fragment(f, g));
            }
        }
        for (Fragment move : moves) {
            Geometry fragment = move.piece();
            int from = move.from();
            int best = -1;
            double bestShared = 0;
            double bestDist = Double.POSITIVE_INFINITY;
            Geometry grown = fragment.buffer(1e-7);
            for (int g = 0; g < k; g++) {
                if (g == from) {
                    continue;
                }
                double shared = Geometries.intersection(grown, areas[g]).getArea();
                double dist = shared > 0 ? 0 : fragment.distance(areas[g]);
                if (shared > bestShared || (bestShared == 0 && shared == 0 && dist < bestDist)) {
                    best = g;
                    bestShared = shared;
                    bestDist = dist;
                }
            }
            if (best < 0) {
                best = from;
            }
            areas[best] = Geometries.union(areas[best], fragment);
        }
    }
}
