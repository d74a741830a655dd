package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinateCsvTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsCaseInsensitiveHeadersInAnyColumnOrder() throws IOException {
        List<CoordinateCsv.Row> rows = CoordinateCsv.read(csv("\uFEFFLON,id,LAT,File\n2.5,x,1.5,\"a,b.jpg\"\n\n-3,y,-4,c.jpg\n"), true);
        assertEquals(2, rows.size());
        assertEquals(new LatLon(1.5, 2.5), rows.get(0).location());
        assertEquals("a,b.jpg", rows.get(0).file());
        assertEquals(4, rows.get(1).line());
        assertNull(CoordinateCsv.read(csv("lat,lng\n1,2\n"), false).get(0).file());
    }

    @Test
    void reportsEveryBadRowWithLineNumbers() throws IOException {
        Path f = csv("lat,lon\n1,2\nNaN,3\n95,0\nabc,1\n5\n");
        var e = assertThrows(IOException.class, () -> CoordinateCsv.read(f, false));
        assertTrue(e.getMessage().contains("4 of 5 rows are invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("line 4") && e.getMessage().contains("line 6"),
                e.getMessage());
    }

    @Test
    void rejectsEmptyFilesAndMissingColumns() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> CoordinateCsv.read(csv(""), false)).getMessage().contains("empty"));
        assertTrue(assertThrows(IOException.class, () -> CoordinateCsv.read(csv("lat,lon\n"), false)).getMessage().contains("no data rows"));
        assertTrue(assertThrows(IOException.class, () -> CoordinateCsv.read(csv("lat,lon\n1,2\n"), true)).getMessage().contains("file"));
        assertTrue(assertThrows(IOException.class, () -> CoordinateCsv.read(csv("x,y\n1,2\n"), false)).getMessage().contains("lat and lon"));
    }

    @Test
    void writesWhatItReads() throws IOException {
        Path f = dir.resolve("out.csv");
        CoordinateCsv.write(f, List.of(new CoordinateCsv.Row("p.jpg", new LatLon(-12.345678, 98.7654321), 2)));
        CoordinateCsv.Row r = CoordinateCsv.read(f, true).get(0);
        assertEquals(new LatLon(-12.345678, 98.7654321), r.location());
        assertEquals("p.jpg", r.file());
    }
}
