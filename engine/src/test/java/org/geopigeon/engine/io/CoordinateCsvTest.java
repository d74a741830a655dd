package org.geopigeon.engine.io;

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

    @Test
    void headerlessTablesAreLatLonThenWeight() throws IOException {
        List<CoordinateCsv.Row> rows = CoordinateCsv.read(csv("# MP-16 sample\n48.85,2.35,2\n-33.87,151.21\n"), false);
        assertEquals(new LatLon(48.85, 2.35), rows.get(0).location());
        assertEquals(2.0, rows.get(0).weight());
        assertEquals(1.0, rows.get(1).weight(), "a blank or missing weight is 1");
        assertEquals(3, rows.get(1).line(), "the comment line counts");
        IOException e = assertThrows(IOException.class, () -> CoordinateCsv.read(csv("48.85,2.35\n"), true));
        assertTrue(e.getMessage().contains("file column"), e.getMessage());
    }

    @Test
    void semicolonAndTabTablesAreRead() throws IOException {
        assertEquals(new LatLon(1.5, 2.5), CoordinateCsv.read(csv("lat;lon\n1.5;2.5\n"), false).get(0).location());
        assertEquals(new LatLon(1.5, 2.5), CoordinateCsv.read(csv("lon\tlat\n2.5\t1.5\n"), false).get(0).location());
    }

    @Test
    void skippingKeepsTheGoodRowsAndNamesTheBadOnes() throws IOException {
        CoordinateCsv.Table t = CoordinateCsv.read(csv("lat,lon,weight\n1,2,1\nNaN,3,1\n4,5,-2\n6,7,\n"), false,
                CoordinateCsv.BadRows.SKIP);
        assertEquals(2, t.rows().size());
        assertEquals(2, t.badRows());
        assertEquals(List.of("line 3: invalid coordinates lat=NaN, lon=3 (need finite numbers, lat in [-90, 90], lon in"
                + " [-180, 180])", "line 4: invalid weight -2 (need a finite number > 0)"), t.problems());
        assertTrue(t.skippedNote().startsWith("2 of 4 rows skipped: line 3"), t.skippedNote());
        IOException none = assertThrows(IOException.class, () -> CoordinateCsv.read(csv("lat,lon\n91,0\n"), false,
                CoordinateCsv.BadRows.SKIP));
        assertTrue(none.getMessage().contains("none of its 1 rows") && none.getMessage().contains("line 2"), none.getMessage());
    }

    @Test
    void malformedAndBinaryFilesGetAPlainMessage() throws IOException {
        IOException quote = assertThrows(IOException.class, () -> CoordinateCsv.read(csv("file,lat,lon\n\"a.jpg,1,2\n"), true));
        assertTrue(quote.getMessage().startsWith(dir.resolve("t.csv") + ": not a readable CSV file"), quote.getMessage());
        Path bin = dir.resolve("b.csv");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'l', 'a', 't', '\n'});
        IOException binary = assertThrows(IOException.class, () -> CoordinateCsv.read(bin, false));
        assertTrue(binary.getMessage().contains("not UTF-8"), binary.getMessage());
        assertTrue(assertThrows(IOException.class, () -> CoordinateCsv.read(dir.resolve("missing.csv"), false))
                .getMessage().contains("not found"));
    }
}
