package org.geopigeon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.preprocess.PreprocessConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding a photo folder: decoding runs ahead of the backbone (issue 9), results stay in file order. */
class GalleryBuilderTest {

    @TempDir
    Path dir;

    @Test
    void decodesTheNextPhotosWhileTheBackboneEmbedsAndKeepsFileOrder() throws Exception {
        int photos = 6;
        StringBuilder csv = new StringBuilder("file,lat,lon\n");
        for (int i = 0; i < photos; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
            csv.append("p").append(i).append(".png,").append(10 + i).append(",").append(20 + i).append("\n");
        }
        Files.writeString(dir.resolve("where.csv"), csv);
        Files.writeString(dir.resolve("p9.png"), "not an image");
        Files.writeString(dir.resolve("where.csv"), csv + "p9.png,1,1\n");

        CountDownLatch photos2and3 = new CountDownLatch(2);
        ImageDecoder real = new ImageDecoder();
        List<Boolean> overlapped = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        Backbone fake = new Backbone() {
            @Override
            public int inputSize() {
                return 4;
            }

            @Override
            public int embeddingDim() {
                return 1;
            }

            @Override
            public float[][] embed(float[] nchw, int n) {
                if (batches.isEmpty()) {
                    try {
                        // Sequential code would decode photos 2 and 3 only after this pass returns.
                        overlapped.add(photos2and3.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                batches.add(n);
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    out[i] = new float[] {nchw[i * 48]};
                }
                return out;
            }

            @Override
            public String device() {
                return "cpu()";
            }

            @Override
            public void close() {
            }
        };
        List<String> log = new ArrayList<>();
        GalleryBuilder builder = new GalleryBuilder(fake, new PreprocessConfig(4, new float[] {0, 0, 0},
                new float[] {1, 1, 1}), 2, 2, log::add, f -> {
                    DecodedImage d = real.decode(f);
                    String n = f.getFileName().toString();
                    if (n.equals("p2.png") || n.equals("p3.png")) {
                        photos2and3.countDown();
                    }
                    return d;
                });

        GalleryBuilder.Result r = builder.build(dir, dir.resolve("where.csv"));

        assertEquals(List.of(true), overlapped, "photos 2 and 3 were decoded during the first backbone pass");
        assertEquals(List.of(2, 2, 2), batches);
        assertEquals(photos, r.gallery().size());
        assertEquals(1, r.rejected());
        for (int i = 0; i < photos; i++) {
            assertEquals("p" + i + ".png", r.files().get(i));
            assertEquals(new LatLon(10 + i, 20 + i), r.gallery().location(i));
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("skip p9.png")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("stages: decode ") && l.contains("on 2 decode threads")),
                log.toString());
    }
}
