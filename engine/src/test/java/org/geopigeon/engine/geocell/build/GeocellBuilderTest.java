package org.geopigeon.engine.geocell.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.progress.PhaseListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;

/**
 * Builds geocells on two synthetic countries of admin-1 squares: AAA (x 0..4) holds two dense
 * clusters in one square plus sparse points, BBB (x 4..8) only 6 points near the shared border.
 */
class GeocellBuilderTest {

    static final int MIN = 10;
    static final int MAX = 40;

    @TempDir
    static Path dir;
    static List<BoundaryLayer> layers;
    static PointSet points;
    static BuildResult result;

    @BeforeAll
    static void build() throws IOException {
        layers = List.of(BoundaryReader.read(SyntheticWorld.writeCountries(dir), true),
                BoundaryReader.read(SyntheticWorld.writeAdmin1(dir), false));
        points = new PointSet("synthetic", syntheticPoints(), 0, List.of());
        result = new GeocellBuilder(new BuildOptions(MIN, MAX, 330)).build(points, layers);
    }

    static List<TrainingPoint> syntheticPoints() {
        Random rnd = new Random(42);
        List<TrainingPoint> pts = new ArrayList<>();
        // Two dense clusters in square AAA-0-0 (x 0..1, y 0..1): 300 points, far above MAX.
        for (int i = 0; i < 150; i++) {
            pts.add(new TrainingPoint(0.25 + 0.03 * rnd.nextGaussian(), 0.25 + 0.03 * rnd.nextGaussian(), 1));
            pts.add(new TrainingPoint(0.75 + 0.03 * rnd.nextGaussian(), 0.75 + 0.03 * rnd.nextGaussian(), 1));
        }
        // Sparse points: 4 in each of the other AAA squares (all below MIN).
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 2; r++) {
                if (c == 0 && r == 0) {
                    continue;
                }
                for (int k = 0; k < 4; k++) {
                    pts.add(new TrainingPoint(r + 0.1 + 0.8 * rnd.nextDouble(), c + 0.1 + 0.8 * rnd.nextDouble(), 1));
                }
            }
        }
        // BBB: 6 points in two squares next to the AAA border; total below MIN.
        for (int k = 0; k < 3; k++) {
            pts.add(new TrainingPoint(0.2 + 0.6 * rnd.nextDouble(), 4.1 + 0.5 * rnd.nextDouble(), 1));
            pts.add(new TrainingPoint(1.2 + 0.6 * rnd.nextDouble(), 4.1 + 0.5 * rnd.nextDouble(), 1));
        }
        return pts;
    }

    private static Geometry country(String code) {
        return layers.get(0).units().stream().filter(u -> u.country().equals(code)).findFirst().orElseThrow().geometry();
    }

    @Test
    void noCellCrossesACountryBorder() {
        for (Geocell c : result.cells().cells()) {
            Geometry outside = c.geometry().difference(country(c.country()));
            assertTrue(outside.getArea() < 1e-9, "cell " + c.id() + " reaches outside " + c.country() + ": " + outside.getArea());
        }
    }

    @Test
    void everyPointLiesInTheCellThatCountedIt() {
        GeocellSet cells = result.cells();
        GeocellIndex index = new GeocellIndex(cells);
        int[] counted = new int[cells.size()];
        for (TrainingPoint p : points.points()) {
            int c = index.covering(new LatLon(p.lat(), p.lon()));
            assertTrue(c >= 0, "point " + p + " is in no cell");
            counted[c]++;
        }
        for (Geocell c : cells.cells()) {
            assertEquals(c.pointCount(), counted[c.index()], "points inside cell " + c.id());
        }
        assertEquals(points.points().size(), cells.cells().stream().mapToInt(Geocell::pointCount).sum());
    }

    @Test
    void denseSquareIsSplitAndNoCellStaysAboveMax() {
        Geometry dense = SyntheticWorld.box(0, 0, 1, 1);
        long inDense = result.cells().cells().stream()
                .filter(c -> c.geometry().intersection(dense).getArea() > 1e-6).count();
        assertTrue(inDense >= 2, "the 300-point square should be split, got " + inDense + " cells there");
        for (Geocell c : result.cells().cells()) {
            assertTrue(c.pointCount() <= MAX, c.id() + " has " + c.pointCount() + " points");
        }
        assertTrue(result.report().steps().splits() >= 1);
    }

    @Test
    void smallCellsAreFusedWithinTheirCountryAndSmallCountriesStayOneCell() {
        List<Geocell> bbb = result.cells().cells().stream().filter(c -> c.country().equals("BBB")).toList();
        assertEquals(1, bbb.size(), "BBB has 6 points < MIN: one cell");
        assertEquals(6, bbb.get(0).pointCount());
        for (Geocell c : result.cells().cells()) {
            if (c.country().equals("AAA")) {
                assertTrue(c.pointCount() >= MIN, c.id() + " has " + c.pointCount() + " points < MIN");
            }
        }
    }

    @Test
    void cellsAreValidDisjointAndCoverTheLandOfCountriesWithPoints() {
        List<Geocell> cells = result.cells().cells();
        double total = 0;
        for (Geocell c : cells) {
            assertTrue(c.geometry().isValid(), c.id() + " geometry is invalid");
            total += c.geometry().getArea();
        }
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size(); j++) {
                double overlap = cells.get(i).geometry().intersection(cells.get(j).geometry()).getArea();
                // Snapping to the file's 1e-7 degree grid may leave slivers of that width, nothing more.
                assertTrue(overlap < 1e-7, cells.get(i).id() + " overlaps " + cells.get(j).id() + " by " + overlap);
            }
        }
        assertEquals(16.0, total, 1e-5, "AAA (8) + BBB (8) unit squares");
    }

    @Test
    void centroidIsTheMeanOfTheCellsPoints() {
        GeocellIndex index = new GeocellIndex(result.cells());
        double[][] sums = new double[result.cells().size()][3];
        for (TrainingPoint p : points.points()) {
            int c = index.covering(new LatLon(p.lat(), p.lon()));
            sums[c][0] += p.lat();
            sums[c][1] += p.lon();
            sums[c][2]++;
        }
        for (Geocell c : result.cells().cells()) {
            assertEquals(sums[c.index()][0] / sums[c.index()][2], c.centroid().lat(), 1e-9);
            assertEquals(sums[c.index()][1] / sums[c.index()][2], c.centroid().lon(), 1e-9);
        }
    }

    @Test
    void sameSeedGivesTheSameCells() throws IOException {
        BuildResult again = new GeocellBuilder(new BuildOptions(MIN, MAX, 330)).build(points, layers);
        assertEquals(GeocellGeoJson.toJson(result.cells()), GeocellGeoJson.toJson(again.cells()));
        Path file = dir.resolve("cells.geojson");
        GeocellGeoJson.write(result.cells(), file);
        GeocellSet back = GeocellGeoJson.read(file);
        assertEquals(result.cells().size(), back.size(), "written file reads back");
        assertTrue(back.cells().stream().allMatch(c -> c.geometry().isValid()), "polygons stay valid at the file's 7 decimals");
    }

    @Test
    void theListenerSeesEveryPhaseInOrderWithCountsAndTheSameCells() {
        List<String> events = new ArrayList<>();
        PhaseListener<BuildPhase> listener = new PhaseListener<>() {
            @Override
            public void started(BuildPhase phase, long total) {
                events.add("start " + phase + " " + total);
            }

            @Override
            public void progressed(BuildPhase phase, long done, long total) {
                events.add("progress " + phase + " " + done + "/" + total);
            }

            @Override
            public void note(BuildPhase phase, String line) {
                events.add("note " + phase + " " + line.substring(0, line.indexOf(':')));
            }
        };
        PointSet withNote = new PointSet("pts.csv", points.points(), 1, List.of("1 of 351 rows skipped: line 9: ..."));
        BuildResult again = new GeocellBuilder(new BuildOptions(MIN, MAX, 330)).build(withNote, layers, listener);
        int n = points.points().size();
        assertEquals(List.of("note INPUT warning", "start ASSIGN " + n, "progress ASSIGN " + n + "/" + n, "note ASSIGN assign",
                "start ATTACH " + (layers.get(1).units().size()), "note ATTACH cells", "start FUSE 2",
                "progress FUSE 1/2", "progress FUSE 2/2", "note FUSE fuse", "start SPLIT -1", "note SPLIT split"), events);
        assertEquals(result.cells().size(), again.cells().size(), "progress does not change the cells");
    }
}
