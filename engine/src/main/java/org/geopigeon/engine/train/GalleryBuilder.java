package org.geopigeon.engine.train;

import java.io.IOException;
import java.util.function.Consumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.preprocess.ClipPreprocessor;
import org.geopigeon.engine.preprocess.PreprocessConfig;

/**
 * Computes a {@link Gallery} from geotagged photos with a bundle's backbone: decode
 * ({@link ImageDecoder}, EXIF orientation applied) -> {@link ClipPreprocessor} -> backbone, in batches.
 *
 * <p>Locations come from a CSV ({@code file,lat,lon}, file relative to the photo folder) when one is
 * given, else from each photo's EXIF GPS. Unreadable photos, photos missing from the folder and
 * photos without GPS are skipped with one line each on the progress stream and counted; the build
 * fails only when no photo is usable. Progress (count, images/s, ETA) goes to the same stream.
 */
public final class GalleryBuilder {

    /** Extensions looked at when scanning a folder (content is still checked by magic bytes). */
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".webp");

    /**
     * @param gallery     the usable photos
     * @param files       the file of each gallery row, relative to the photo folder
     * @param scanned     photos considered
     * @param rejected    photos that could not be decoded or were missing
     * @param withoutGps  photos skipped because they have no location
     */
    public record Result(Gallery gallery, List<String> files, int scanned, int rejected, int withoutGps) {
        public Result {
            files = List.copyOf(files);
        }
    }

    private final Backbone backbone;
    private final ClipPreprocessor preprocessor;
    private final int batchSize;
    private final ImageDecoder decoder = new ImageDecoder();
    private final Consumer<String> progress;

    public GalleryBuilder(Backbone backbone, PreprocessConfig preprocess, int batchSize, Consumer<String> progress) {
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        this.preprocessor = new ClipPreprocessor(preprocess);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** Preprocessing as the bundle's manifest prescribes (CLIP defaults where it is silent). */
    public static PreprocessConfig preprocessConfig(BundleManifest manifest, int inputSize) {
        BundleManifest.Backbone b = manifest.backbone();
        if (b == null || b.mean() == null || b.std() == null || b.mean().size() != 3 || b.std().size() != 3) {
            return PreprocessConfig.clipDefaults(inputSize);
        }
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int i = 0; i < 3; i++) {
            mean[i] = b.mean().get(i).floatValue();
            std[i] = b.std().get(i).floatValue();
        }
        return new PreprocessConfig(inputSize, mean, std);
    }

    /**
     * @param folder       photo folder (not recursive when scanning for EXIF GPS)
     * @param locationsCsv {@code file,lat,lon} CSV, or null to use EXIF GPS
     */
    public Result build(Path folder, Path locationsCsv) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": photo folder not found");
        }
        List<Path> files = new ArrayList<>();
        List<LatLon> known = new ArrayList<>();
        int rejected = 0;
        if (locationsCsv != null) {
            for (CoordinateCsv.Row r : CoordinateCsv.read(locationsCsv, true)) {
                Path p = folder.resolve(r.file()).normalize();
                if (!Files.isRegularFile(p)) {
                    rejected++;
                    say("skip %s: listed in %s (line %d) but not found in %s", r.file(), locationsCsv.getFileName(), r.line(), folder);
                    continue;
                }
                files.add(p);
                known.add(r.location());
            }
        } else {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                        .sorted()
                        .forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new IOException(folder + ": no .jpg, .jpeg, .png or .webp photos found");
            }
        }
        int scanned = files.size() + rejected;

        List<float[]> embeddings = new ArrayList<>();
        List<LatLon> locations = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int withoutGps = 0;
        int pixels = preprocessor.imageLength();
        float[] batch = new float[batchSize * pixels];
        List<LatLon> batchLoc = new ArrayList<>();
        List<String> batchNames = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String name = folder.relativize(f).toString();
            try {
                DecodedImage img = decoder.decode(f);
                LatLon where = locationsCsv != null ? known.get(i) : img.exifGps();
                if (where == null) {
                    withoutGps++;
                    say("skip %s: no EXIF GPS position", name);
                } else {
                    preprocessor.toChw(img.rgb(), batch, batchLoc.size() * pixels);
                    batchLoc.add(where);
                    batchNames.add(name);
                }
            } catch (ImageRejectedException e) {
                rejected++;
                say("skip %s: %s", name, e.getMessage());
            }
            boolean last = i == files.size() - 1;
            if (batchLoc.size() == batchSize || (last && !batchLoc.isEmpty())) {
                int n = batchLoc.size();
                float[] input = n == batchSize ? batch : java.util.Arrays.copyOf(batch, n * pixels);
                float[][] out = backbone.embed(input, n);
                for (int j = 0; j < n; j++) {
                    embeddings.add(out[j]);
                }
                locations.addAll(batchLoc);
                names.addAll(batchNames);
                batchLoc.clear();
                batchNames.clear();
                reportProgress(i + 1, files.size(), t0);
            }
        }
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "gallery: %d of %d photos embedded, %d rejected, %d without GPS",
                    embeddings.size(), scanned, rejected, withoutGps));
        }
        if (embeddings.isEmpty()) {
            throw new IOException(folder + ": none of the " + scanned + " photos is usable (" + rejected + " unreadable or missing, "
                    + withoutGps + " without a GPS position" + (locationsCsv == null
                    ? "; give a CSV with file,lat,lon columns for photos without EXIF GPS)" : ")"));
        }
        return new Result(Gallery.of(embeddings, locations), names, scanned, rejected, withoutGps);
    }

    private void reportProgress(int done, int total, long t0) {
        if (progress == null) {
            return;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double rate = done / Math.max(s, 1e-9);
        long eta = Math.round((total - done) / Math.max(rate, 1e-9));
        progress.accept(String.format(Locale.ROOT, "embedded %d/%d photos, %.1f images/s, ETA %dm%02ds", done, total, rate, eta / 60, eta % 60));
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, format, args));
        }
    }
}
