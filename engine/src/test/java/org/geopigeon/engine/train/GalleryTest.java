package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
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
}
