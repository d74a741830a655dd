package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class GalleryTest {

    private static Gallery two() {
        return Gallery.of(List.of(new float[] {1, 2, 3}, new float[] {-1.5f, 0, 0.25f}),
                List.of(new LatLon(48.8566, 2.3522), new LatLon(-33.8688, 151.2093)));
    }

    @Test
    void roundTripsThroughSafetensorsInF32AndF16(@TempDir Path dir) throws IOException {
        Gallery g = two();
        g.write(dir.resolve("g32.safetensors"), false);
        g.write(dir.resolve("g16.safetensors"), true);
        Gallery a = Gallery.read(dir.resolve("g32.safetensors"));
        Gallery b = Gallery.read(dir.resolve("g16.safetensors"));
        assertEquals(2, a.size());
        assertEquals(3, a.dim());
        assertArrayEquals(new float[] {-1.5f, 0, 0.25f}, a.embedding(1), 0f);
        assertArrayEquals(new float[] {-1.5f, 0, 0.25f}, b.embedding(1), 0f); // exactly representable in F16
        assertEquals(48.8566, a.lat(0), 1e-5);
        assertEquals(151.2093, b.lon(1), 1e-4);
        assertEquals(Safetensors.DType.F16, Safetensors.read(dir.resolve("g16.safetensors")).get("embeddings").dtype());
    }

    @Test
    void exportsAndImportsCoordinates(@TempDir Path dir) throws IOException {
        Gallery g = two();
        Path csv = dir.resolve("coords.csv");
        g.writeCoordinatesCsv(csv);
        assertEquals("lat,lon", Files.readAllLines(csv).get(0));
        Files.writeString(csv, "LAT,LON\n1,2\n3,4\n");
        Gallery moved = g.withCoordinatesFrom(csv);
        assertEquals(new LatLon(3, 4), moved.location(1));
        assertArrayEquals(g.embedding(1), moved.embedding(1), 0f);
        Files.writeString(csv, "lat,lon\n1,2\n");
        var e = assertThrows(IOException.class, () -> g.withCoordinatesFrom(csv));
        assertTrue(e.getMessage().contains("1 coordinate rows") && e.getMessage().contains("2 embeddings"), e.getMessage());
    }

    @Test
    void rejectsInvalidContent(@TempDir Path dir) throws IOException {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Gallery(2, new float[] {1, 2, 3, 4}, new float[] {0, 0, 91, 0}));
        assertTrue(e.getMessage().contains("1 of 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Gallery(2, new float[] {1, 2, 3}, new float[] {0, 0, 1, 1}));
        Path f = dir.resolve("bad.safetensors");
        Safetensors.write(f, Map.of("embeddings", Safetensors.Tensor.f32(new float[] {1, 2}, 1, 2)), null);
        var io = assertThrows(IOException.class, () -> Gallery.read(f));
        assertTrue(io.getMessage().contains("latlon"), io.getMessage());
        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        assertThrows(IOException.class, () -> Gallery.read(empty));
        assertThrows(IOException.class, () -> Gallery.read(dir.resolve("missing.safetensors")));
    }

    @Test
    void subsetPicksRowsInOrder() {
        Gallery s = two().subset(new int[] {1, 1, 0});
        assertEquals(3, s.size());
        assertEquals(new LatLon(48.8566f, 2.3522f), s.location(2));
    }

    /** 7 rows of D = 5; every value a multiple of 1/4 below 64, so float16 holds it exactly. */
    private static Gallery seven() {
        List<float[]> rows = new ArrayList<>();
        List<LatLon> where = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            float[] e = new float[5];
            for (int j = 0; j < 5; j++) {
                e[j] = r * 5 + j - 17.25f;
            }
            rows.add(e);
            where.add(new LatLon(-60 + 20 * r, 170 - 50 * r));
        }
        return Gallery.of(rows, where);
    }

    private static void assertSameRows(Gallery expected, Gallery actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.dim(), actual.dim());
        float[] out = new float[actual.dim() + 3];
        for (int r = 0; r < expected.size(); r++) {
            assertArrayEquals(expected.embedding(r), actual.embedding(r), 0f, "row " + r);
            actual.copyEmbedding(r, out, 3);
            assertArrayEquals(expected.embedding(r), java.util.Arrays.copyOfRange(out, 3, out.length), 0f, "row " + r);
            assertEquals(expected.location(r), actual.location(r));
        }
    }

    @ParameterizedTest(name = "f16={0}")
    @ValueSource(booleans = {false, true})
    void readsRowsAcrossSegmentBoundaries(boolean f16, @TempDir Path dir) throws IOException {
        Gallery g = seven();
        Path f = dir.resolve("g.safetensors");
        g.write(f, f16);
        long rowBytes = 5L * (f16 ? 2 : 4);
        // segments of 3 rows (3 + 3 + 1), of one row (a size below one row still maps whole rows), and one segment
        for (long[] c : new long[][] {{3 * rowBytes + 1, 3}, {1, 7}, {rowBytes * 7, 1}, {GalleryRows.SEGMENT_BYTES, 1}}) {
            Gallery m = Gallery.read(f, c[0]);
            assertTrue(m.mapped());
            assertEquals(c[1], m.segments(), "segments for " + c[0] + " bytes");
            assertSameRows(g, m);
        }
        // A mapped gallery writes back (streamed) and takes subsets onto the heap.
        Gallery m = Gallery.read(f, 3 * rowBytes);
        Path again = dir.resolve("again.safetensors");
        m.write(again, f16);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again), "the same bytes after a mapped round trip");
        Gallery s = m.subset(new int[] {6, 2, 3});
        assertFalse(s.mapped());
        assertArrayEquals(g.embedding(6), s.embedding(0), 0f);
        assertArrayEquals(g.embedding(3), s.embedding(2), 0f);
        assertThrows(IndexOutOfBoundsException.class, () -> m.embedding(7));
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyEmbedding(-1, new float[5], 0));
    }

    @Test
    void f16RoundsAsFloat16AndF32IsExact(@TempDir Path dir) throws IOException {
        Gallery g = Gallery.of(List.of(new float[] {0.1f, 1e-3f, 65504f, -2.5e-8f}), List.of(new LatLon(1, 2)));
        g.write(dir.resolve("a.safetensors"), false);
        g.write(dir.resolve("b.safetensors"), true);
        assertArrayEquals(g.embedding(0), Gallery.read(dir.resolve("a.safetensors"), 4).embedding(0), 0f);
        float[] h = Gallery.read(dir.resolve("b.safetensors"), 4).embedding(0);
        for (int j = 0; j < 4; j++) {
            float want = org.geopigeon.engine.io.Half.toFloat(org.geopigeon.engine.io.Half.fromFloat(g.embedding(0)[j]));
            assertEquals(want, h[j], 0f, "value " + j);
        }
        assertEquals(0.1f, h[0], 1e-4f);
    }

    @ParameterizedTest(name = "f16={0}")
    @ValueSource(booleans = {false, true})
    void aNonFiniteValueInAnyMappedSegmentIsNamedByRow(boolean f16, @TempDir Path dir) throws IOException {
        float[] e = new float[7 * 5];
        for (int i = 0; i < e.length; i++) {
            e[i] = i * 0.5f;
        }
        e[5 * 5 + 3] = f16 ? Float.POSITIVE_INFINITY : Float.NaN; // row 5, in the second segment of 3 rows
        float[] ll = new float[14];
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("embeddings", f16 ? Safetensors.Tensor.f16(e, 7, 5) : Safetensors.Tensor.f32(e, 7, 5));
        t.put("latlon", Safetensors.Tensor.f32(ll, 7, 2));
        Path f = dir.resolve("nan.safetensors");
        Safetensors.write(f, t, Map.of("format", Gallery.FORMAT));
        var io = assertThrows(IOException.class, () -> Gallery.read(f, 3L * 5 * (f16 ? 2 : 4)));
        assertTrue(io.getMessage().contains("row 5 has a non-finite"), io.getMessage());
        assertTrue(io.getMessage().startsWith(f.toString()), io.getMessage());
    }

    @Test
    void aTruncatedOrInconsistentFileIsRefusedWithTheProblemNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("g.safetensors");
        seven().write(f, true);
        Path cut = dir.resolve("cut.safetensors");
        Files.copy(f, cut);
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 9); // part of the last coordinates gone
        }
        var io = assertThrows(IOException.class, () -> Gallery.read(cut, 16));
        assertTrue(io.getMessage().contains("truncated"), io.getMessage());
        assertTrue(io.getMessage().startsWith(cut.toString()), io.getMessage());

        Path rows = dir.resolve("rows.safetensors");
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("embeddings", Safetensors.Tensor.f32(new float[12], 3, 4));
        t.put("latlon", Safetensors.Tensor.f32(new float[4], 2, 2));
        Safetensors.write(rows, t, null);
        io = assertThrows(IOException.class, () -> Gallery.read(rows));
        assertTrue(io.getMessage().contains("same N") && io.getMessage().contains("[3, 4]"), io.getMessage());

        Path ints = dir.resolve("ints.safetensors");
        t.put("embeddings", Safetensors.Tensor.i32(new int[8], 2, 4));
        Safetensors.write(ints, t, null);
        io = assertThrows(IOException.class, () -> Gallery.read(ints));
        assertTrue(io.getMessage().contains("expected F16 or F32"), io.getMessage());

        Path badCoord = dir.resolve("coord.safetensors");
        t.put("embeddings", Safetensors.Tensor.f32(new float[8], 2, 4));
        t.put("latlon", Safetensors.Tensor.f32(new float[] {0, 0, 95, 0}, 2, 2));
        Safetensors.write(badCoord, t, null);
        io = assertThrows(IOException.class, () -> Gallery.read(badCoord));
        assertTrue(io.getMessage().contains("invalid coordinates") && io.getMessage().contains("row 1"), io.getMessage());
    }

    @Test
    void aGalleryBuiltInTheJvmKeepsItsLimitAndSaysHowToGoBeyond() {
        float[] row = new float[1 << 20]; // 2,048 rows of 2^20 values: 2^31, one value too many for an array
        List<float[]> rows = Collections.nCopies(2048, row); // the same row, so the test costs 4 MB
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gallery.of(rows, Collections.nCopies(2048, new LatLon(0, 0))));
        assertTrue(e.getMessage().contains("2,147,483,639") && e.getMessage().contains("geopigeon batch gallery"),
                e.getMessage());
        Gallery wide = Gallery.of(List.of(new float[1024]), List.of(new LatLon(0, 0)));
        e = assertThrows(IllegalArgumentException.class, () -> wide.subset(new int[2_100_000]));
        assertTrue(e.getMessage().contains("2,100,000 rows of 1024"), e.getMessage());
    }
}
