package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.geopigeon.app.TrainCommandTest.Run;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geopigeon geocells build} on a one-country world of four admin-1 squares. */
class GeocellsCommandTest {

    @TempDir
    Path dir;

    private Path boundaries() throws IOException {
        StringBuilder fc = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int c = 0; c < 4; c++) {
            if (c > 0) {
                fc.append(',');
            }
            fc.append(String.format(Locale.ROOT, "{\"type\":\"Feature\",\"properties\":{\"name\":\"U%d\",\"adm0_a3\":\"AAA\"},"
                    + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%d,0],[%d,0],[%d,1],[%d,1],[%d,0]]]}}",
                    c, c, c + 1, c + 1, c, c));
        }
        Path f = dir.resolve("admin1.geojson");
        Files.writeString(f, fc.append("]}").toString());
        return f;
    }

    private Path points(int n) throws IOException {
        Random rnd = new Random(1);
        StringBuilder csv = new StringBuilder("lat,lon\n");
        for (int i = 0; i < n; i++) {
            csv.append(String.format(Locale.ROOT, "%.6f,%.6f%n", 0.05 + 0.9 * rnd.nextDouble(), 0.05 + 3.9 * rnd.nextDouble()));
        }
        csv.append("NaN,1\n");
        Path f = dir.resolve("points.csv");
        Files.writeString(f, csv.toString());
        return f;
    }

    @Test
    void buildsCellsAndPrintsASummary() throws IOException {
        Path out = dir.resolve("cells.geojson");
        Run r = TrainCommandTest.run("geocells", "build", "--points", points(200).toString(), "--boundaries",
                boundaries().toString(), "--min-points", "20", "--max-points", "40", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("geocells in 1 countries from 200 points"), r.out());
        assertTrue(r.err().contains("1 of 201 rows skipped"), r.err());
        GeocellSet cells = GeocellGeoJson.read(out);
        assertEquals(200, cells.cells().stream().mapToInt(Geocell::pointCount).sum());
        assertTrue(cells.cells().stream().allMatch(c -> c.pointCount() >= 20 && c.pointCount() <= 40),
                "all cells within [20, 40] points");
    }

    @Test
    void badInputWritesNothing() throws IOException {
        Path out = dir.resolve("none.geojson");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Run r = TrainCommandTest.run("geocells", "build", "--points", empty.toString(), "--boundaries",
                boundaries().toString(), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("empty.csv") && r.err().contains("no data rows"), r.err());
        assertFalse(Files.exists(out));

        Run sizes = TrainCommandTest.run("geocells", "build", "--points", points(10).toString(), "--boundaries",
                boundaries().toString(), "--min-points", "50", "--max-points", "60", "--out", out.toString());
        assertEquals(2, sizes.exitCode());
        assertTrue(sizes.err().contains("at least twice min points"), sizes.err());
    }

    @Test
    void pigeonsLargestFuseRuleIsSelectableAndUnknownRulesAreRefused() throws IOException {
        Path out = dir.resolve("largest.geojson");
        Run r = TrainCommandTest.run("geocells", "build", "--points", points(200).toString(), "--boundaries",
                boundaries().toString(), "--min-points", "20", "--max-points", "40", "--fuse", "largest",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(200, GeocellGeoJson.read(out).cells().stream().mapToInt(Geocell::pointCount).sum());

        Run bad = TrainCommandTest.run("geocells", "build", "--points", points(200).toString(), "--boundaries",
                boundaries().toString(), "--fuse", "smallest", "--out", dir.resolve("x.geojson").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--fuse must be closest or largest"), bad.err());
    }
}
