package org.geopigeon.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.engine.model.DjlRuntime;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;

/**
 * Locates files batch by batch, decoding and preprocessing the next batch on a pool of decode threads while
 * the backbone works on the current one ({@link Geolocator#prepare} there, {@link Geolocator#locatePrepared}
 * here), then reports each request in input order.
 *
 * <p>A batch holds up to the manifest's {@code batchSize} views: 8 single images, or 2 panoramas. At most
 * two batches are in flight (the one in the backbone and the next one being decoded), and a decoded image
 * is dropped as soon as it is preprocessed, so memory stays at two batches of 3 x S x S floats plus the
 * images being decoded (one per decode thread).
 */
final class BatchLocator {

    /** Receives every request once, in input order. */
    interface Results {
        void located(List<Path> files, Prediction prediction);

        /**
         * As {@link #located(List, Prediction)}, with the pixel hash of each view ({@link PixelHash}: the value the
         * audit log and {@code inspect} give), so {@code locate --json} carries it on every path.
         */
        default void located(List<Path> files, Prediction prediction, List<String> pixelSha256) {
            located(files, prediction);
        }

        /** {@code cause} is an {@link org.geopigeon.engine.image.ImageRejectedException} for a bad file. */
        void failed(List<Path> files, RuntimeException cause);
    }

    /**
     * Wall-clock totals of one {@link #locateAll} run. Decoding and preprocessing run on the decode threads
     * during the backbone's passes, so {@code decodeMs + preprocessMs + backboneMs} exceeds {@code wallMs} by
     * what the overlap saved.
     *
     * @param requests      requests handled (located or failed)
     * @param decodeMs      summed decode time of all files (decode threads)
     * @param preprocessMs  summed preprocessing time (decode threads)
     * @param backboneMs    time in backbone passes (and head + refinement), on the calling thread
     * @param inputWaitMs   time the calling thread waited for a batch to finish decoding
     * @param wallMs        wall time of the whole run
     * @param decodeThreads decode threads used
     */
    record Stats(int requests, double decodeMs, double preprocessMs, double backboneMs, double inputWaitMs,
                 double wallMs, int decodeThreads) {

        /** Nothing located yet. */
        static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0);

        /** Totals of two runs (refused files split a command's files into runs). */
        Stats plus(Stats o) {
            return new Stats(requests + o.requests, decodeMs + o.decodeMs, preprocessMs + o.preprocessMs,
                    backboneMs + o.backboneMs, inputWaitMs + o.inputWaitMs, wallMs + o.wallMs,
                    Math.max(decodeThreads, o.decodeThreads));
        }

        /** One line for stderr, e.g. "24 images in 31.2 s: decode 4.1 s + preprocess 1.0 s on 1 decode thread ...". */
        String summary(String unit) {
            return String.format(Locale.ROOT, "%d %s in %.1f s: decode %.1f s + preprocess %.1f s on %d decode thread%s,"
                            + " overlapped with backbone + head %.1f s (waited %.1f s for decoding)", requests, unit,
                    wallMs / 1e3, decodeMs / 1e3, preprocessMs / 1e3, decodeThreads, decodeThreads == 1 ? "" : "s",
                    backboneMs / 1e3, inputWaitMs / 1e3);
        }
    }

    /** Default decode threads: {@link DjlRuntime#defaultDecodeThreads()}. */
    static int defaultDecodeThreads() {
        return DjlRuntime.defaultDecodeThreads();
    }

    private final Geolocator geolocator;
    private final LocateOptions options;
    private final int viewsPerRequest;
    private final int requestsPerBatch;
    private final int decodeThreads;
    private final Function<Path, DecodedImage> decoder;

    BatchLocator(Geolocator geolocator, LocateOptions options, int viewsPerRequest) {
        this(geolocator, options, viewsPerRequest, defaultDecodeThreads());
    }

    /** @param decodeThreads threads decoding and preprocessing ahead of the backbone, at least 1 */
    BatchLocator(Geolocator geolocator, LocateOptions options, int viewsPerRequest, int decodeThreads) {
        this(geolocator, options, viewsPerRequest, decodeThreads, new ImageDecoder()::decode);
    }

    /** @param decoder decodes one file on a decode thread (tests observe the overlap through it) */
    BatchLocator(Geolocator geolocator, LocateOptions options, int viewsPerRequest, int decodeThreads,
                 Function<Path, DecodedImage> decoder) {
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be at least 1, got " + decodeThreads);
        }
        this.geolocator = geolocator;
        this.options = options;
        this.viewsPerRequest = viewsPerRequest;
        this.requestsPerBatch = Math.max(1, geolocator.manifest().defaults().batchSize() / viewsPerRequest);
        this.decodeThreads = decodeThreads;
        this.decoder = decoder;
    }

    /**
     * @param files a multiple of the views per request, in the order results are wanted
     * @return timings of the run (for the closing summary line)
     */
    Stats locateAll(List<Path> files, Results results) {
        long start = System.nanoTime();
        int filesPerBatch = requestsPerBatch * viewsPerRequest;
        List<List<Path>> batches = new ArrayList<>();
        for (int s = 0; s < files.size(); s += filesPerBatch) {
            batches.add(files.subList(s, Math.min(files.size(), s + filesPerBatch)));
        }
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "geopigeon-decode-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        double decodeMs = 0;
        double preprocessMs = 0;
        double backboneMs = 0;
        double waitMs = 0;
        int requests = 0;
        try {
            List<Future<Request>> next = batches.isEmpty() ? List.of() : submit(pool, batches.get(0));
            for (int b = 0; b < batches.size(); b++) {
                List<Future<Request>> current = next;
                next = b + 1 < batches.size() ? submit(pool, batches.get(b + 1)) : List.of();
                long w0 = System.nanoTime();
                List<Request> decoded = await(current);
                long w1 = System.nanoTime();
                waitMs += (w1 - w0) / 1e6;
                for (Request r : decoded) {
                    decodeMs += r.decodeMs();
                    preprocessMs += r.prepared() == null ? 0 : r.prepared().preprocessMs();
                }
                report(decoded, results);
                backboneMs += (System.nanoTime() - w1) / 1e6;
                requests += decoded.size();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Stats(requests, decodeMs, preprocessMs, backboneMs, waitMs, (System.nanoTime() - start) / 1e6,
                decodeThreads);
    }

    private List<Future<Request>> submit(ExecutorService pool, List<Path> batch) {
        List<Future<Request>> out = new ArrayList<>();
        for (int s = 0; s < batch.size(); s += viewsPerRequest) {
            List<Path> group = batch.subList(s, s + viewsPerRequest);
            out.add(pool.submit(() -> decode(group)));
        }
        return out;
    }

    private static List<Request> await(List<Future<Request>> futures) {
        List<Request> out = new ArrayList<>(futures.size());
        for (Future<Request> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding images", e);
            } catch (ExecutionException e) {
                // decode() turns every RuntimeException into a failed Request; only Errors get here
                throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    private void report(List<Request> requests, Results results) {
        List<Request> decoded = requests.stream().filter(r -> r.error() == null).toList();
        List<Prediction> predictions = locateTogether(decoded);
        int next = 0;
        for (Request r : requests) {
            if (r.error() != null) {
                results.failed(r.files(), r.error());
                continue;
            }
            Prediction p = predictions != null ? predictions.get(next++) : locateAlone(r, results);
            if (p != null) {
                results.located(r.files(), p.withGps(r.gps(), r.gpsSource()).withTimings(p.timings().withDecodeMs(r.decodeMs())),
                        r.pixelSha256());
            }
        }
    }

    /** One pass for the whole batch; null when it failed, so each request is retried alone. */
    private List<Prediction> locateTogether(List<Request> decoded) {
        if (decoded.size() <= 1) {
            return null; // alone, a failure is reported against the request's own files
        }
        try {
            return geolocator.locatePrepared(decoded.stream().map(Request::prepared).toList(), options, StageListener.NONE);
        } catch (RuntimeException e) {
            return null; // one bad request must not fail the others in its batch
        }
    }

    private Prediction locateAlone(Request r, Results results) {
        try {
            return geolocator.locatePrepared(List.of(r.prepared()), options, StageListener.NONE).get(0);
        } catch (RuntimeException e) {
            results.failed(r.files(), e);
            return null;
        }
    }

    /**
     * Decodes and preprocesses one request on a decode thread; the error (an ImageRejectedException naming the
     * file) when that fails. The decoded pixels are dropped here: only the preprocessed floats travel on.
     */
    private Request decode(List<Path> group) {
        long t0 = System.nanoTime();
        List<BufferedImage> views = new ArrayList<>(group.size());
        List<String> hashes = new ArrayList<>(group.size());
        LatLon gps = null;
        GpsFix.Source gpsSource = null;
        try {
            for (Path file : group) {
                DecodedImage d = decoder.apply(file);
                views.add(d.rgb());
                hashes.add(PixelHash.sha256(d.rgb()));
                if (gps == null && d.exifGps() != null) { // a panorama's first view with GPS speaks for all four
                    gps = d.exifGps();
                    gpsSource = d.metadata().gps() == null ? null : d.metadata().gps().source();
                }
            }
        } catch (RuntimeException e) {
            return new Request(group, null, null, null, 0, e, List.of());
        }
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        try {
            return new Request(group, geolocator.prepare(views), gps, gpsSource, decodeMs, null, hashes);
        } catch (RuntimeException e) {
            return new Request(group, null, null, null, decodeMs, e, List.of());
        }
    }

    /**
     * @param gps         the photo's own position (EXIF or XMP, {@code gpsSource} says which), or null
     * @param pixelSha256 {@link PixelHash} of each view
     */
    private record Request(List<Path> files, Geolocator.PreparedRequest prepared, LatLon gps, GpsFix.Source gpsSource,
                           double decodeMs, RuntimeException error, List<String> pixelSha256) {
    }
}
