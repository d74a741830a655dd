package org.geopigeon.engine.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.refine.RefinementIndex;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;

/**
 * The pipeline with a tiny fake backbone whose embedding is the mean normalised value of each colour
 * channel (D = 3), and a head whose weight is 10 x identity: a red image lands in cell 0 ("red"),
 * green in cell 1, blue in cell 2.
 */
class GeolocatorTest {

    private static final int SIZE = 8;

    private static final GeocellSet CELLS = new GeocellSet("rgb", List.of(
            cell(0, 48.0, 2.0), cell(1, -33.0, 151.0), cell(2, 40.0, -74.0)));

    private static final GeocellHead HEAD = new GeocellHead(3, 3,
            new float[] {10, 0, 0, 0, 10, 0, 0, 0, 10}, new float[] {0, 0, 0});

    /** One cluster per cell, one member each, near but not at the centroid. */
    private static final RefinementIndex INDEX = RefinementIndex.of(3,
            new int[] {0, 1, 2, 3},
            new float[] {2, -2, -1.5f, -2, 2, -1.5f, -2, -2, 2},
            new int[] {0, 1, 2, 3},
            new float[] {2, -2, -1.5f, -2, 2, -1.5f, -2, -2, 2},
            new float[] {48.5f, 2.5f, -33.5f, 151.5f, 40.5f, -74.5f});

    @Test
    void singleImageGetsTopCellsConfidenceAndRefinedPoint() {
        FakeBackbone backbone = new FakeBackbone();
        Geolocator g = new Geolocator(manifest(2, 5000), backbone, HEAD, CELLS, INDEX);

        Prediction p = g.locate(solid(255, 0, 0));

        assertEquals(2, p.topCells().size(), "bundle default topK = 2");
        assertEquals(0, p.topCells().get(0).cell().index());
        assertEquals(1, p.topCells().get(0).rank());
        assertTrue(p.topCells().get(0).probability() > 0.99, "red logit 19.3 vs -14.8 / -17.5");
        assertTrue(p.topCells().get(0).probability() >= p.topCells().get(1).probability());
        assertEquals(new LatLon(48, 2), p.topCellCentroid());
        assertTrue(p.refined());
        assertEquals(new LatLon(48.5, 2.5), p.location(), "the only gallery member of cell 0");
        assertTrue(p.confidence() > 0.95 && p.confidence() <= 1, "almost all mass on one cell: " + p.confidence());
        assertEquals("test-model", p.model());
        assertEquals(0, p.timings().decodeMs());
        assertTrue(p.timings().backboneMs() > 0 && p.timings().headMs() > 0 && p.timings().refineMs() > 0);
        assertEquals(List.of(1), backbone.batchSizes);
    }

    @Test
    void refinementCanBeSwitchedOffOrBeAbsent() {
        Geolocator withIndex = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        Prediction off = withIndex.locate(List.of(solid(0, 0, 255)), new LocateOptions(3, false), StageListener.NONE);
        assertFalse(off.refined());
        assertEquals(new LatLon(40, -74), off.location());
        assertEquals(3, off.topCells().size());
        assertEquals(0, off.timings().refineMs());

        Geolocator noIndex = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, null);
        assertFalse(noIndex.canRefine());
        Prediction p = noIndex.locate(solid(0, 255, 0));
        assertFalse(p.refined());
        assertEquals(new LatLon(-33, 151), p.location());
    }

    @Test
    void refinedPointTooFarFromTheTopCentroidFallsBack() {
        // member (48.5, 2.5) is 66.6 km from the centroid (48, 2): a 10 km limit rejects it.
        Geolocator g = new Geolocator(manifest(2, 10), new FakeBackbone(), HEAD, CELLS, INDEX);
        Prediction p = g.locate(solid(255, 0, 0));
        assertFalse(p.refined());
        assertEquals(new LatLon(48, 2), p.location());
    }

    @Test
    void panoramaAveragesTheFourViewEmbeddings() {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        List<BufferedImage> views = List.of(solid(200, 0, 0), solid(200, 0, 0), solid(0, 0, 100), solid(0, 0, 100));
        // The fake embedding is affine in the colour, so the mean of the four embeddings is the
        // embedding of the mean colour (100, 0, 50).
        Prediction pano = g.locate(views, LocateOptions.topK(3), StageListener.NONE);
        Prediction mean = g.locate(List.of(solid(100, 0, 50)), LocateOptions.topK(3), StageListener.NONE);
        for (int i = 0; i < 3; i++) {
            assertEquals(mean.topCells().get(i).cell(), pano.topCells().get(i).cell());
            assertEquals(mean.topCells().get(i).probability(), pano.topCells().get(i).probability(), 1e-5);
        }
        assertEquals(mean.confidence(), pano.confidence(), 1e-5);
    }

    @Test
    void anythingButOneOrFourViewsIsRejected() {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.locate(List.of(solid(1, 2, 3), solid(1, 2, 3)), LocateOptions.defaults(), StageListener.NONE));
        assertEquals("a panorama needs exactly 4 views, got 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.locate(List.of(), LocateOptions.defaults(), StageListener.NONE));
    }

    @Test
    void batchRunsTheBackboneInManifestSizedBatchesAndMatchesSingleCalls() {
        FakeBackbone backbone = new FakeBackbone();
        Geolocator g = new Geolocator(manifest(2, 5000), backbone, HEAD, CELLS, INDEX);
        List<List<BufferedImage>> requests = List.of(List.of(solid(255, 0, 0)), List.of(solid(0, 255, 0)),
                List.of(solid(0, 0, 255)), List.of(solid(9, 200, 9)), List.of(solid(30, 30, 220)));

        List<Prediction> batch = g.locateBatch(requests, LocateOptions.defaults(), StageListener.NONE);

        assertEquals(List.of(2, 2, 1), backbone.batchSizes, "batchSize 2 in the manifest");
        assertEquals(5, batch.size());
        for (int r = 0; r < requests.size(); r++) {
            Prediction single = g.locate(requests.get(r), LocateOptions.defaults(), StageListener.NONE);
            assertEquals(single.location(), batch.get(r).location());
            assertEquals(single.topCells().get(0).probability(), batch.get(r).topCells().get(0).probability(), 1e-6);
        }
        assertEquals(List.of(0, 1, 2, 1, 2), batch.stream().map(p -> p.topCells().get(0).cell().index()).toList());
    }

    @Test
    void aUniformHeadHasZeroConfidence() {
        GeocellHead uniform = new GeocellHead(3, 3, new float[9], new float[3]);
        Prediction p = new Geolocator(manifest(3, 5000), new FakeBackbone(), uniform, CELLS, null).locate(solid(5, 5, 5));
        assertEquals(0.0, p.confidence(), 1e-9);
        assertEquals(1 / 3.0, p.topCells().get(2).probability(), 1e-9);
        assertEquals(List.of(0, 1, 2), p.topCells().stream().map(c -> c.cell().index()).toList(), "ties: lower index first");
    }

    @Test
    void reportsStagesInOrderAndHonoursCancellation() {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        List<Stage> seen = new ArrayList<>();
        StageListener recorder = new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
                seen.add(stage);
            }

            @Override
            public boolean isCancelled() {
                return seen.contains(Stage.BACKBONE);
            }
        };
        g.locate(List.of(solid(1, 1, 1)), LocateOptions.defaults(), new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
                seen.add(stage);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        assertEquals(List.of(Stage.PREPROCESS, Stage.BACKBONE, Stage.HEAD, Stage.REFINE, Stage.DONE), seen);

        seen.clear();
        CancellationException e = assertThrows(CancellationException.class,
                () -> g.locate(List.of(solid(1, 1, 1)), LocateOptions.defaults(), recorder));
        assertTrue(e.getMessage().contains("HEAD"), e.getMessage());
        assertEquals(List.of(Stage.PREPROCESS, Stage.BACKBONE), seen);
    }

    @Test
    void oneInstanceServesConcurrentRequests() throws Exception {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        int[][] colours = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int[] c = colours[i % 3];
                futures.add(pool.submit(() -> g.locate(solid(c[0], c[1], c[2])).topCells().get(0).cell().index()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i % 3, futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void topKReturnsLargestFirst() {
        assertEquals(List.of(3, 1, 0), toList(TopK.indices(new double[] {0.2, 0.3, 0.1, 0.4}, 3)));
        assertEquals(List.of(1, 2), toList(TopK.indices(new double[] {0.1, 0.45, 0.45}, 2)));
        assertThrows(IllegalArgumentException.class, () -> TopK.indices(new double[] {1}, 2));
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int v : a) {
            out.add(v);
        }
        return out;
    }

    @Test
    void preparedRequestsGiveTheSamePredictionsAsImagesAndRecordThePrecision() {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        List<List<BufferedImage>> images = List.of(List.of(solid(255, 0, 0)), List.of(solid(0, 255, 0)),
                List.of(solid(0, 0, 255), solid(0, 0, 250), solid(0, 0, 240), solid(0, 10, 255)));
        List<Prediction> direct = g.locateBatch(images, LocateOptions.defaults(), StageListener.NONE);
        List<Geolocator.PreparedRequest> prepared = images.stream().map(g::prepare).toList();
        List<Prediction> viaPrepared = g.locatePrepared(prepared, LocateOptions.defaults(), StageListener.NONE);
        assertEquals(3, viaPrepared.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(direct.get(i).location(), viaPrepared.get(i).location(), "request " + i);
            assertEquals(direct.get(i).topCells(), viaPrepared.get(i).topCells(), "request " + i);
            assertEquals(prepared.get(i).preprocessMs(), viaPrepared.get(i).timings().preprocessMs(), 0,
                    "each request keeps its own preprocessing time");
            assertEquals(org.geopigeon.engine.model.Precision.FP32, viaPrepared.get(i).precision());
        }
        assertEquals("C0", viaPrepared.get(0).topCells().get(0).cell().id(), "red lands in cell 0");
    }

    @Test
    void preparedRequestsAreChecked() {
        Geolocator g = new Geolocator(manifest(2, 5000), new FakeBackbone(), HEAD, CELLS, INDEX);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> g.prepare(List.of(solid(1, 2, 3), solid(1, 2, 3))));
        assertTrue(two.getMessage().contains("a panorama needs exactly 4 views, got 2"), two.getMessage());
        IllegalArgumentException shortView = assertThrows(IllegalArgumentException.class, () -> g.locatePrepared(
                List.of(new Geolocator.PreparedRequest(List.of(new float[5]), 0)), null, null));
        assertTrue(shortView.getMessage().contains("a prepared view has 5 values"), shortView.getMessage());
    }

    private static BundleManifest manifest(int topK, double fallbackKm) {
        return new BundleManifest(BundleManifest.FORMAT, "test-model", "fake", false, "CC0", "test",
                new BundleManifest.Backbone("fake.pt", SIZE, SIZE, SIZE, "bicubic",
                        List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711), 3,
                        "mean-all-tokens", false),
                "cells.geojson", "head.safetensors", null,
                new BundleManifest.Defaults(topK, 3, 1.0, fallbackKm, 2));
    }

    private static BufferedImage solid(int r, int g, int b) {
        BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setColor(new Color(r, g, b));
        gr.fillRect(0, 0, 20, 12);
        gr.dispose();
        return img;
    }

    private static Geocell cell(int index, double lat, double lon) {
        Polygon box = (Polygon) GeoJsonGeometry.WGS84.toGeometry(new Envelope(lon - 1, lon + 1, lat - 1, lat + 1));
        return new Geocell(index, "C" + index, "cell " + index, "A" + index, "X" + index, 10, new LatLon(lat, lon),
                GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {box}));
    }

    /** Embedding = per-channel mean of the normalised input; records each batch size. */
    private static final class FakeBackbone implements Backbone {
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public int inputSize() {
            return SIZE;
        }

        @Override
        public int embeddingDim() {
            return 3;
        }

        @Override
        public float[][] embed(float[] nchw, int n) {
            batchSizes.add(n);
            int plane = SIZE * SIZE;
            assertEquals(n * 3 * plane, nchw.length);
            float[][] out = new float[n][3];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    double s = 0;
                    for (int k = 0; k < plane; k++) {
                        s += nchw[(i * 3 + c) * plane + k];
                    }
                    out[i][c] = (float) (s / plane);
                }
            }
            return out;
        }

        @Override
        public String device() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }
}
