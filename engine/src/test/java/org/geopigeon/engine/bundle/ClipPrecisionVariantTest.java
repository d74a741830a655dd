package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.model.ComputeTarget;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionAgreement;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.preprocess.ClipPreprocessor;
import org.geopigeon.engine.testing.TestPhotos;
import org.geopigeon.engine.train.GalleryBuilder;
import org.geopigeon.engine.train.TrainedBundleWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Precision variants of a zero-shot bundle ({@code headInput: clip-image}): the head takes CLIP's projected image
 * embedding ({@code get_image_features}), so a variant serves it only when it carries that method, which
 * {@code tools/export_precision_variants.py} now exports (the demo CLIP bundle ships such a bf16 variant). bf16 must
 * keep every photo's embedding at cosine similarity 0.999 or more to fp32; a variant written before (forward only)
 * is refused at load with the way out.
 */
class ClipPrecisionVariantTest {

    private static final Path DEMO_CLIP = Path.of("..", "sample-data", "demo-clip-bundle");
    private static final Path CELLS = Path.of("..", "sample-data", "demo-bundle", "geocells.geojson");
    private static final Path SAMPLE_PHOTOS = Path.of("..", "sample-data", "photos");
    private static final Path REAL_PHOTOS = findShared(Path.of("shared", "data", "photos"));

    @TempDir
    static Path tmp;
    private static Path zeroShot;

    /** A zero-shot bundle as {@code geopigeon zeroshot} writes it, with a random (seeded) head: agreement is the point. */
    @BeforeAll
    static void zeroShotBundle() throws IOException {
        GeocellSet cells = GeocellGeoJson.read(CELLS);
        int p = ModelBundle.readManifestOf(DEMO_CLIP).clip().projectionDim();
        Random r = new Random(20240612);
        float[] w = new float[cells.size() * p];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        zeroShot = tmp.resolve("zs");
        TrainedBundleWriter.write(DEMO_CLIP, zeroShot, new TrainedBundleWriter.Contents(cells,
                new GeocellHead(cells.size(), p, w, new float[cells.size()]), null, "zs-precision-test",
                "zero-shot bundle for the precision test", "ClipPrecisionVariantTest",
                BundleManifest.HEAD_INPUT_CLIP_IMAGE, null));
    }

    @Test
    void aZeroShotBundleRunsInBf16WithCosineAtLeast0999ToFp32OnThePhotos() throws IOException {
        try (ModelBundle fp32 = ModelBundle.load(zeroShot, PrecisionChoice.FP32);
             ModelBundle bf16 = ModelBundle.load(zeroShot, PrecisionChoice.BF16)) {
            assertEquals(Precision.FP32, fp32.backbone().precision());
            assertEquals(Precision.BF16, bf16.backbone().precision());
            assertEquals(fp32.manifest().clip().projectionDim(), bf16.backbone().embeddingDim(),
                    "bf16 embeds with get_image_features, not forward");
            ClipPreprocessor pre = new ClipPreprocessor(GalleryBuilder.preprocessConfig(fp32.manifest(),
                    fp32.backbone().inputSize()));
            List<float[]> photos = photos(SAMPLE_PHOTOS, pre);
            if (Files.isDirectory(REAL_PHOTOS)) {
                photos.addAll(photos(REAL_PHOTOS, pre));
            }
            float[][] ref = new float[photos.size()][];
            float[][] got = new float[photos.size()][];
            for (int i = 0; i < photos.size(); i++) {
                ref[i] = fp32.backbone().embed(photos.get(i), 1)[0];
                got[i] = bf16.backbone().embed(photos.get(i), 1)[0];
            }
            PrecisionAgreement a = PrecisionAgreement.of(ref, got, fp32.head());
            System.out.println("zero-shot demo CLIP bundle, bf16 vs fp32, " + photos.size() + " photos: " + a.summary());
            assertTrue(photos.size() >= 7, "the sample photos at least");
            assertTrue(a.minCosine() >= 0.999, a.summary());
            assertEquals(1.0, a.top1Agreement(), a.summary());

            assertEquals(Precision.BF16, new Geolocator(bf16).locate(new ImageDecoder().decode(
                    SAMPLE_PHOTOS.resolve("street_with_gps.jpg")).rgb()).precision(), "the prediction says bf16 ran");
        }
    }

    @Test
    void autoPicksTheBf16VariantOfAZeroShotBundleWhereTheCpuRunsBf16Natively() throws IOException {
        boolean nativeBf16 = !ComputeTarget.detect().gpu() && ComputeTarget.detect().cpu().nativeBf16();
        try (ModelBundle auto = ModelBundle.load(zeroShot, PrecisionChoice.AUTO)) {
            assertEquals(nativeBf16 ? Precision.BF16 : Precision.FP32, auto.backbone().precision(),
                    auto.precisionReason());
        }
    }

    @Test
    void aVariantWithoutTheJointSpaceMethodIsRefusedAtLoadSayingHowToRewriteIt() throws IOException {
        Path stale = tmp.resolve("stale");
        BundleFolder.copyBase(zeroShot, Files.createDirectories(stale), java.util.Set.of());
        // The demo bundle's bf16 file: written before variants carried get_image_features (forward only).
        Files.copy(Path.of("..", "sample-data", "demo-bundle", "backbone.bf16.pt"), stale.resolve("backbone.bf16.pt"),
                StandardCopyOption.REPLACE_EXISTING);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(stale, PrecisionChoice.BF16));
        assertTrue(e.getMessage().contains("backbone.bf16.pt") && e.getMessage().contains("no 'get_image_features'"
                + " method") && e.getMessage().contains("export_precision_variants.py") && e.getMessage().contains(
                "--force"), e.getMessage());
        try (ModelBundle fp32 = ModelBundle.load(stale, PrecisionChoice.FP32)) {
            assertEquals(Precision.FP32, fp32.backbone().precision(), "fp32 still serves");
        }
    }

    private static List<float[]> photos(Path folder, ClipPreprocessor pre) throws IOException {
        return TestPhotos.preprocessed(folder, pre);
    }

    private static Path findShared(Path relative) {
        return TestPhotos.findShared(relative);
    }
}
