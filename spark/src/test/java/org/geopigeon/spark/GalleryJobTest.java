package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.train.Gallery;
import org.geopigeon.engine.train.GalleryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gallery building on Spark writes the file {@code geopigeon train}'s GalleryBuilder writes for the same photos. */
class GalleryJobTest {

    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("geopigeon-gallery-test", "local[2]", Map.of("spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** What {@code train --photos DIR [--locations CSV] --save-gallery} writes, through the engine's GalleryBuilder. */
    private static Path engineGallery(Path photos, Path csv, Path file) throws IOException {
        try (ModelBundle b = ModelBundle.load(TestInputs.demoBundle(), PrecisionChoice.parse("fp32"))) { // as the job runs
            GalleryBuilder builder = new GalleryBuilder(b.backbone(),
                    GalleryBuilder.preprocessConfig(b.manifest(), b.backbone().inputSize()),
                    b.manifest().defaults().batchSize(), null);
            builder.build(photos, csv).gallery().write(file, true);
        }
        return file;
    }

    private static GalleryJob.Spec spec(Path photos, Path csv, Path out, boolean ship) {
        return new GalleryJob.Spec(List.of(photos.toString()), false, csv, TestInputs.demoBundle(), ship, out, true,
                TestInputs.MAX_BYTES);
    }

    @Test
    void photosWithListedLocationsGiveTheSameGalleryFileAsTrain() throws IOException {
        Path photos = TestInputs.samplePhotos();
        Path csv = tmp.resolve("locations.csv");
        List<String> lines = new ArrayList<>(List.of("file,lat,lon"));
        double lat = 10;
        List<Path> files;
        try (Stream<Path> s = Files.list(photos)) {
            files = s.sorted().toList(); // Spark orders the gallery by path; GalleryBuilder keeps the CSV order
        }
        for (Path f : files) {
            lines.add(f.getFileName() + "," + lat + "," + (lat * 2));
            lat += 5;
        }
        lines.add("not-there.jpg,1,2");
        Files.write(csv, lines);
        Path out = tmp.resolve("spark-gallery.safetensors");
        List<String> log = new ArrayList<>();

        GalleryJob.Result r = new GalleryJob(spark, log::add).run(spec(photos, csv, out, true), "fp32");

        assertEquals(files.size(), r.rows());
        assertEquals(1, r.missingListed(), "the CSV row without a file is reported");
        Path expected = engineGallery(photos, csv, tmp.resolve("engine-gallery.safetensors"));
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out),
                "same bytes as GalleryBuilder's gallery written by Gallery.write (F16)");
        Gallery g = Gallery.read(out);
        assertEquals(new LatLon(10, 20), g.location(0));
    }

    @Test
    void realPhotosWithExifGpsGiveTheSameGalleryAndTheOthersAreSkippedWithReasons() throws IOException {
        Path shared = TestInputs.sharedPhotos();
        Assumptions.assumeTrue(shared != null, "../shared/data/photos not present");
        Path out = tmp.resolve("exif-gallery.safetensors");

        GalleryJob.Result r = new GalleryJob(spark, null).run(spec(shared, null, out, false), "fp32");

        // train --photos applies the service's image rules (ImageRules: 32 px minimum side, as locate): the engine's
        // reference gets the photos those rules accept (links in a folder of their own), the job skips the others.
        Path accepted = Files.createDirectories(tmp.resolve("accepted"));
        int tooSmall = 0;
        try (java.util.stream.Stream<Path> files = Files.list(shared)) {
            for (Path f : files.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                try {
                    org.geopigeon.service.ImageRules.defaults().checkHeader(bytes, null, f.toString());
                } catch (org.geopigeon.service.ImageRefusal refused) {
                    if (refused.problem() == org.geopigeon.service.ImageProblem.TOO_SMALL) {
                        tooSmall++;
                        continue;
                    }
                }
                Files.createSymbolicLink(accepted.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Path expected = engineGallery(accepted, null, tmp.resolve("exif-engine.safetensors"));
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out));
        assertEquals(Gallery.read(expected).size(), r.rows());
        assertEquals(tooSmall, r.skipped().getOrDefault("TOO_SMALL", 0L).intValue(), "skipped as locate refuses them: "
                + r.skipped());
        assertTrue(r.skipped().containsKey("UNSUPPORTED_FORMAT"), "ground_truth.csv is not a photo: " + r.skipped());
        assertFalse(r.describe(out).isBlank());
    }

    @Test
    void noUsablePhotoWritesNothing() throws IOException {
        Path bad = tmp.resolve("only-bad");
        TestInputs.writeBadFiles(bad);
        Path out = tmp.resolve("none.safetensors");
        BatchException e = assertThrows(BatchException.class,
                () -> new GalleryJob(spark, null).run(spec(bad, null, out, false), "fp32"));
        assertTrue(e.getMessage().contains("none of the"), e.getMessage());
        assertFalse(Files.exists(out));
    }
}
