package org.geopigeon.engine.geocell.build;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geo.PointMean;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.progress.PhaseListener;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * PIGEON's semantic geocells: admin units holding training points, fused below MIN points within
 * a country and split above MAX points with OPTICS + Voronoi.
 *
 * <ol>
 *   <li>Every point goes to the finest boundary unit covering it, else the nearest one.</li>
 *   <li>One cell per unit with a point; a unit without points joins the nearest cell of its
 *       country, so cells cover the country's land (countries without points get no cell).</li>
 *   <li>{@link CellFuser}: cells below MIN merge with neighbours, never across countries.</li>
 *   <li>{@link CellSplitter}: cells above MAX split until nothing splits.</li>
 *   <li>Cells ordered by country then id (the class index order); centroid = mean of the points.</li>
 * </ol>
 * Deterministic: the same input and seed give the same cells.
 */
public final class GeocellBuilder {

    private final BuildOptions options;

    public GeocellBuilder(BuildOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@link #build(PointSet, List, PhaseListener)} without progress. */
    public BuildResult build(PointSet points, List<BoundaryLayer> layers) {
        return build(points, layers, PhaseListener.none());
    }

    /**
     * @param points training points
     * @param layers boundary layers ordered coarsest first: countries, admin-1, admin-2 (one to
     *               three). The last layer gives the units; a layer list of one or two is read as
     *               ending at admin-1, of three as ending at admin-2. Units lacking a country code
     *               (or an admin-1 name, at admin-2) get it from the coarser layer under them.
     * @param listener told each {@link BuildPhase} with its counts and one summary note per phase; the inputs'
     *                 warnings come first, as {@link BuildPhase#INPUT} notes
     * @throws IllegalArgumentException without layers or points
     */
    public BuildResult build(PointSet points, List<BoundaryLayer> layers, PhaseListener<BuildPhase> listener) {
        long start = System.nanoTime();
        PhaseListener<BuildPhase> progress = Objects.requireNonNull(listener, "listener");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("at least one boundary layer is needed");
        }
        List<TrainingPoint> pts = points.points();
        if (pts.isEmpty()) {
            throw new IllegalArgumentException("no training points in " + points.source());
        }
        points.notes().forEach(note -> progress.note(BuildPhase.INPUT, "warning: " + points.source() + ": " + note));
        layers.forEach(layer -> layer.warnings().forEach(w -> progress.note(BuildPhase.INPUT, "warning: " + w)));
        int n = pts.size();
        double[] lons = new double[n];
        double[] lats = new double[n];
        for (int i = 0; i < n; i++) {
            lons[i] = pts.get(i).lon();
            lats[i] = pts.get(i).lat();
        }
        List<AdminUnit> units = resolveUnits(layers);
        PolygonIndex unitIndex = new PolygonIndex(units.stream().map(AdminUnit::geometry).toList());

        // 1. assign points
        progress.started(BuildPhase.ASSIGN, n);
        int[] unitOf = new int[n];
        int outside = 0;
        for (int i = 0; i < n; i++) {
            Point p = GeoJsonGeometry.WGS84.createPoint(new Coordinate(lons[i], lats[i]));
            int u = unitIndex.covering(p);
            if (u < 0) {
                u = unitIndex.nearest(p);
                outside++;
            }
            unitOf[i] = u;
            if ((i + 1) % 20000 == 0) {
                progress.progressed(BuildPhase.ASSIGN, i + 1, n);
            }
        }
        progress.progressed(BuildPhase.ASSIGN, n, n);
        progress.note(BuildPhase.ASSIGN, "assign: " + n + " points to " + units.size() + " units (" + outside
                + " outside every boundary, given to the nearest unit)");

        // 2. one cell per unit with points; empty units join the nearest cell of their country
        progress.started(BuildPhase.ATTACH, units.size());
        Map<Integer, List<Integer>> byUnit = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byUnit.computeIfAbsent(unitOf[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, List<Integer>> cellUnitsByCountry = new TreeMap<>();
        for (int u : byUnit.keySet()) {
            cellUnitsByCountry.computeIfAbsent(units.get(u).country(), k -> new ArrayList<>()).add(u);
        }
        Map<Integer, List<Geometry>> cellParts = new LinkedHashMap<>();
        for (int u : byUnit.keySet()) {
            cellParts.computeIfAbsent(u, k -> new ArrayList<>()).add(units.get(u).geometry());
        }
        Map<String, PolygonIndex> countryIndex = new TreeMap<>();
        int dropped = 0;
        for (int u = 0; u < units.size(); u++) {
            if (byUnit.containsKey(u)) {
                continue;
            }
            AdminUnit unit = units.get(u);
            List<Integer> candidates = cellUnitsByCountry.get(unit.country());
            if (candidates == null) {
                dropped++;
                continue;
            }
            PolygonIndex idx = countryIndex.computeIfAbsent(unit.country(),
                    c -> new PolygonIndex(candidates.stream().map(k -> units.get(k).geometry()).toList()));
            int target = candidates.get(idx.nearest(unit.geometry()));
            cellParts.get(target).add(unit.geometry());
        }
        Map<String, List<WorkCell>> cellsByCountry = new TreeMap<>();
        for (Map.Entry<Integer, List<Integer>> e : byUnit.entrySet()) {
            AdminUnit unit = units.get(e.getKey());
            WorkCell c = new WorkCell(unit.id(), unit.name(), unit.admin1(), unit.country(),
                    Geometries.union(cellParts.get(e.getKey())), e.getValue().stream().mapToInt(Integer::intValue).toArray());
            cellsByCountry.computeIfAbsent(unit.country(), k -> new ArrayList<>()).add(c);
        }
        progress.note(BuildPhase.ATTACH, "cells: " + byUnit.size() + " units with points in " + cellsByCountry.size()
                + " countries; " + (units.size() - byUnit.size() - dropped) + " empty units attached, " + dropped
                + " dropped (country without points)");

        // 3. fuse
        progress.started(BuildPhase.FUSE, cellsByCountry.size());
        CellFuser fuser = new CellFuser(options.minPoints(), new Random(options.seed()), options.fuseTarget(), lons, lats,
                options.maxFuseRadiusKm());
        int merges = 0;
        int fusedCountries = 0;
        for (List<WorkCell> countryCells : cellsByCountry.values()) {
            countryCells.sort(Comparator.comparing(c -> c.id));
            merges += fuser.fuse(countryCells);
            progress.progressed(BuildPhase.FUSE, ++fusedCountries, cellsByCountry.size());
        }
        List<WorkCell> cells = new ArrayList<>();
        cellsByCountry.values().forEach(cells::addAll);
        progress.note(BuildPhase.FUSE, "fuse: " + merges + " merges -> " + cells.size() + " cells");

        // 4. split
        CellSplitter splitter = new CellSplitter(options.minPoints(), options.bisect(), lons, lats);
        Deque<WorkCell> queue = new ArrayDeque<>();
        List<WorkCell> done = new ArrayList<>();
        for (WorkCell c : cells) {
            (c.count() > options.maxPoints() ? queue : done).add(c);
        }
        progress.started(BuildPhase.SPLIT, -1);
        List<String> aboveMax = new ArrayList<>();
        int splits = 0;
        int bisections = 0;
        long lastReport = System.nanoTime();
        while (!queue.isEmpty()) {
            WorkCell c = queue.removeFirst();
            Optional<CellSplitter.Split> split = splitter.split(c);
            if (split.isEmpty()) {
                aboveMax.add(c.id);
                done.add(c);
            } else {
                splits++;
                bisections += split.get().bisection() ? 1 : 0;
                for (WorkCell p : split.get().parts()) {
                    (p.count() > options.maxPoints() ? queue : done).add(p);
                }
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                progress.progressed(BuildPhase.SPLIT, splits, -1);
                progress.note(BuildPhase.SPLIT, "split: " + splits + " splits, " + queue.size() + " cells still above "
                        + options.maxPoints() + " points");
            }
        }
        progress.note(BuildPhase.SPLIT, "split: " + splits + " splits (" + bisections + " by principal-axis bisection) -> "
                + done.size() + " cells (" + aboveMax.size() + " left above " + options.maxPoints() + " points)");

        GeocellSet set = toGeocells(done, pts);
        List<String> repaired = new ArrayList<>();
        int skippedBoundaries = 0;
        for (BoundaryLayer l : layers) {
            l.repairedNames().forEach(name -> repaired.add(l.source() + ": " + name));
            skippedBoundaries += l.skippedCount();
        }
        BuildReport report = new BuildReport(
                new BuildReport.Input(n, points.skipped(), outside, repaired, skippedBoundaries),
                new BuildReport.Units(byUnit.size(), dropped, cellsByCountry.size()),
                new BuildReport.Steps(merges, splits, bisections, aboveMax),
                points.notes(), (System.nanoTime() - start) / 1e9);
        return new BuildResult(set, report);
    }

    private static List<AdminUnit> resolveUnits(List<BoundaryLayer> layers) {
        List<AdminUnit> finest = layers.get(layers.size() - 1).units();
        boolean admin2 = layers.size() >= 3;
        PolygonIndex countries = layers.size() >= 2 ? index(layers.get(0)) : null;
        PolygonIndex admin1s = admin2 ? index(layers.get(layers.size() - 2)) : null;
        List<AdminUnit> out = new ArrayList<>(finest.size());
        for (AdminUnit u : finest) {
            String country = u.country();
            String admin1 = admin2 ? u.admin1() : u.name();
            if (country.isEmpty() || (admin2 && admin1.isEmpty())) {
                Point inside = u.geometry().getInteriorPoint();
                if (country.isEmpty() && countries != null) {
                    country = layers.get(0).units().get(countries.locate(inside)).country();
                }
                if (admin2 && admin1.isEmpty()) {
                    AdminUnit a1 = layers.get(layers.size() - 2).units().get(admin1s.locate(inside));
                    admin1 = a1.name();
                    if (country.isEmpty()) {
                        country = a1.country();
                    }
                }
            }
            out.add(u.withCountryAndAdmin1(country.isEmpty() ? "unknown" : country, admin1));
        }
        return out;
    }

    private static PolygonIndex index(BoundaryLayer layer) {
        return new PolygonIndex(layer.units().stream().map(AdminUnit::geometry).toList());
    }

    private static GeocellSet toGeocells(List<WorkCell> cells, List<TrainingPoint> pts) {
        List<WorkCell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparing((WorkCell c) -> c.country).thenComparing(c -> c.id));
        Set<String> used = new HashSet<>();
        List<Geocell> out = new ArrayList<>(sorted.size());
        for (WorkCell c : sorted) {
            String id = c.id;
            for (int k = 2; !used.add(id); k++) {
                id = c.id + "#" + k;
            }
            int n = c.points.length;
            double[] lat = new double[n];
            double[] lon = new double[n];
            double[] weight = new double[n];
            for (int j = 0; j < n; j++) {
                TrainingPoint p = pts.get(c.points[j]);
                lat[j] = p.lat();
                lon[j] = p.lon();
                weight[j] = p.weight();
            }
            LatLon centroid = PointMean.of(lat, lon, weight);
            out.add(new Geocell(out.size(), id, c.name, c.admin1, c.country, c.count(), centroid,
                    Geometries.validMultiPolygon(c.geometry)));
        }
        return new GeocellSet("geocells", out);
    }
}
