package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.refine.RefinementIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefinementIndexBuilderTest {

    private static final int D = 4;

    /**
     * Cell 0: two tight groups of 20 photos 300 km apart (two OPTICS clusters); cell 1: 4 photos (fewer
     * than min_samples: one cluster); cell 2: no photos.
     */
    private static Gallery gallery(List<Integer> labels) {
        Random r = new Random(11);
        List<float[]> emb = new ArrayList<>();
        List<LatLon> loc = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < 20; i++) {
                float[] e = new float[D];
                for (int j = 0; j < D; j++) {
                    e[j] = (float) r.nextGaussian();
                }
                emb.add(e);
                loc.add(new LatLon(10 + r.nextDouble() * 0.05, 10 + g * 2.7 + r.nextDouble() * 0.05));
                labels.add(0);
            }
        }
        for (int i = 0; i < 4; i++) {
            emb.add(new float[] {i, 1, 2, 3});
            loc.add(new LatLon(-30 + i, 20));
            labels.add(1);
        }
        return Gallery.of(emb, loc);
    }

    @Test
    void buildsAValidIndexThatRoundTripsThroughTheFile(@TempDir Path dir) throws Exception {
        List<Integer> l = new ArrayList<>();
        Gallery g = gallery(l);
        int[] labels = l.stream().mapToInt(Integer::intValue).toArray();
        RefinementIndex built = new RefinementIndexBuilder(RefinementIndexBuilder.Config.defaults(), null).build(g, labels, 3);
        Path file = dir.resolve("refinement.safetensors");
        built.write(file);
        RefinementIndex idx = RefinementIndex.read(file);

        assertEquals(3, idx.cells());
        assertEquals(D, idx.dimension());
        assertEquals(2, idx.endCluster(0) - idx.firstCluster(0), "two separated groups -> two clusters");
        assertEquals(1, idx.endCluster(1) - idx.firstCluster(1), "a small cell is one cluster");
        assertEquals(0, idx.endCluster(2) - idx.firstCluster(2), "an empty cell has no clusters");
        assertEquals(44, idx.members(), "tight groups have no noise");

        for (int c = 0; c < idx.clusters(); c++) {
            double[] mean = new double[D];
            Set<Double> lons = new HashSet<>();
            int n = idx.endMember(c) - idx.firstMember(c);
            for (int m = idx.firstMember(c); m < idx.endMember(c); m++) {
                int row = galleryRowOf(g, idx.memberLocation(m));
                assertTrue(idx.memberDistanceSq(m, g.embedding(row)) < 1e-4, "member keeps its embedding");
                for (int j = 0; j < D; j++) {
                    mean[j] += g.embedding(row)[j] / n;
                }
                lons.add(Math.floor(idx.memberLocation(m).lon()));
            }
            float[] proto = new float[D];
            for (int j = 0; j < D; j++) {
                proto[j] = (float) mean[j];
            }
            assertTrue(idx.prototypeDistanceSq(c, proto) < 1e-5, "prototype = mean of members");
            assertEquals(1, lons.size(), "a cluster never mixes the two groups");
        }
    }

    @Test
    void chunksLargeCellsWithoutLosingPhotos() {
        List<Integer> l = new ArrayList<>();
        Gallery g = gallery(l);
        int[] labels = l.stream().mapToInt(Integer::intValue).toArray();
        RefinementIndex idx = new RefinementIndexBuilder(new RefinementIndexBuilder.Config(10, 0.1, 15), null).build(g, labels, 3);
        assertEquals(44, idx.members());
        assertTrue(idx.endCluster(0) - idx.firstCluster(0) >= 2);
    }

    @Test
    void rejectsMismatchedLabels() {
        List<Integer> l = new ArrayList<>();
        Gallery g = gallery(l);
        var b = new RefinementIndexBuilder(RefinementIndexBuilder.Config.defaults(), null);
        assertThrows(IllegalArgumentException.class, () -> b.build(g, new int[3], 3));
        int[] labels = new int[g.size()];
        labels[5] = 9;
        var e = assertThrows(IllegalArgumentException.class, () -> b.build(g, labels, 3));
        assertTrue(e.getMessage().contains("row 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RefinementIndexBuilder.Config(1, 0.1, 100));
    }

    private static int galleryRowOf(Gallery g, LatLon p) {
        for (int i = 0; i < g.size(); i++) {
            if (Math.abs(g.lat(i) - p.lat()) < 1e-5 && Math.abs(g.lon(i) - p.lon()) < 1e-5) {
                return i;
            }
        }
        throw new AssertionError("no gallery row at " + p);
    }
}
