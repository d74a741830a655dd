package org.geopigeon.engine.train;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.DjlRuntime;
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
 *
 * <p>Overlap: photos are decoded and preprocessed on {@code decodeThreads} threads, up to two batches ahead
 * of the backbone, so decoding the next photos runs while the backbone embeds the current batch; the
 * closing progress line gives the per-stage totals (decode and preprocess on the decode threads, backbone
 * on the calling thread, and how long the backbone waited for input).
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
    private final int decodeThreads;
    private final java.util.function.Function<Path, DecodedImage> decoder;
    private final Consumer<String> progress;

    /** With the default decode threads: a quarter of the cores, 1 to 4. */
    public GalleryBuilder(Backbone backbone, PreprocessConfig preprocess, int batchSize, Consumer<String> progress) {
        this(backbone, preprocess, batchSize, DjlRuntime.defaultDecodeThreads(), progress);
    }

    /**
     * @param batchSize     images per backbone pass, at least 1
     * @param decodeThreads threads decoding and preprocessing ahead of the backbone, at least 1
     * @param progress      receives progress and skip lines; may be null
     */
    public GalleryBuilder(Backbone backbone, PreprocessConfig preprocess, int batchSize, int decodeThreads,
                          Consumer<String> progress) {
        this(backbone, preprocess, batchSize, decodeThreads, progress, new ImageDecoder()::decode);
    }

    /** @param decoder decodes one photo on a decode thread (tests observe the overlap through it) */
    GalleryBuilder(Backbone backbone, PreprocessConfig preprocess, int batchSize, int decodeThreads,
                   Consumer<String> progress, java.util.function.Function<Path, DecodedImage> decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        this.preprocessor = new ClipPreprocessor(preprocess);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be >= 1, got " + decodeThreads);
        }
        this.batchSize = batchSize;
        this.decodeThreads = decodeThreads;
        this.progress = progress;
    }

    /**
     * Preprocessing as the bundle's manifest prescribes: {@link BundleManifest#preprocessConfig}, the one conversion
     * (kept here for the callers that name it, e.g. the Spark gallery job).
     */
    public static PreprocessConfig preprocessConfig(BundleManifest manifest, int inputSize) {
        return manifest.preprocessConfig(inputSize);
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
        long decodeNs = 0;
        long preprocessNs = 0;
        long backboneNs = 0;
        long waitNs = 0;
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "geopigeon-gallery-decode-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            // Up to two batches of photos decode ahead of the backbone; only preprocessed floats are kept.
            Deque<Future<Photo>> ahead = new ArrayDeque<>();
            int submitted = 0;
            for (int i = 0; i < files.size(); i++) {
                while (submitted < files.size() && ahead.size() < 2 * batchSize) {
                    Path f = files.get(submitted++);
                    ahead.add(pool.submit(() -> decodeAndPreprocess(f)));
                }
                long w0 = System.nanoTime();
                Photo photo = next(ahead.poll());
                waitNs += System.nanoTime() - w0;
                String name = folder.relativize(files.get(i)).toString();
                decodeNs += photo.decodeNs();
                preprocessNs += photo.preprocessNs();
                if (photo.rejected() != null) {
                    rejected++;
                    say("skip %s: %s", name, photo.rejected().getMessage());
                } else {
                    LatLon where = locationsCsv != null ? known.get(i) : photo.exifGps();
                    if (where == null) {
                        withoutGps++;
                        say("skip %s: no EXIF GPS position", name);
                    } else {
                        System.arraycopy(photo.chw(), 0, batch, batchLoc.size() * pixels, pixels);
                        batchLoc.add(where);
                        batchNames.add(name);
                    }
                }
                boolean last = i == files.size() - 1;
                if (batchLoc.size() == batchSize || (last && !batchLoc.isEmpty())) {
                    int n = batchLoc.size();
                    float[] input = n == batchSize ? batch : java.util.Arrays.copyOf(batch, n * pixels);
                    long b0 = System.nanoTime();
                    float[][] out = backbone.embed(input, n);
                    backboneNs += System.nanoTime() - b0;
                    for (int j = 0; j < n; j++) {
                        embeddings.add(out[j]);
                    }
                    // Fail as soon as the gallery outgrows one heap array, not after embedding every photo.
                    if ((long) embeddings.size() * out[0].length > Gallery.MAX_HEAP_VALUES) {
                        throw new IOException(folder + ": " + Gallery.tooLargeForHeap(embeddings.size(), out[0].length));
                    }
                    locations.addAll(batchLoc);
                    names.addAll(batchNames);
                    batchLoc.clear();
                    batchNames.clear();
                    reportProgress(i + 1, files.size(), t0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        say("stages: decode %.1f s + preprocess %.1f s on %d decode thread%s, overlapped with backbone %.1f s (%s, %s);"
                        + " waited %.1f s for decoding; wall %.1f s", decodeNs / 1e9, preprocessNs / 1e9, decodeThreads,
                decodeThreads == 1 ? "" : "s", backboneNs / 1e9, backbone.precision(), backbone.device(), waitNs / 1e9,
                (System.nanoTime() - t0) / 1e9);
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

    /** One photo after its decode thread: preprocessed pixels and GPS, or why it was rejected. */
    private record Photo(float[] chw, LatLon exifGps, ImageRejectedException rejected, long decodeNs, long preprocessNs) {
    }

    private Photo decodeAndPreprocess(Path file) {
        long t0 = System.nanoTime();
        DecodedImage img;
        try {
            img = decoder.apply(file);
        } catch (ImageRejectedException e) {
            return new Photo(null, null, e, System.nanoTime() - t0, 0);
        }
        long t1 = System.nanoTime();
        float[] chw = new float[preprocessor.imageLength()];
        preprocessor.toChw(img.rgb(), chw, 0);
        return new Photo(chw, img.exifGps(), null, t1 - t0, System.nanoTime() - t1);
    }

    private static Photo next(Future<Photo> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding photos", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("decoding failed: " + c, c);
        }
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
