package org.geopigeon.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;

/**
 * Locates files batch by batch: decodes one batch of requests (single images, or the four views of a
 * panorama), runs them through {@link Geolocator#locateBatch} so the backbone sees several images at
 * once, reports each request in input order, then drops the pixels. Only one batch is decoded at a
 * time, which bounds memory (8 decoded 12 MP photos are about 400 MB).
 *
 * <p>A batch holds up to the manifest's {@code batchSize} views: 8 single images, or 2 panoramas.
 */
final class BatchLocator {

    /** Receives every request once, in input order. */
    interface Results {
        void located(List<Path> files, Prediction prediction);

        /** {@code cause} is an {@link org.geopigeon.engine.image.ImageRejectedException} for a bad file. */
        void failed(List<Path> files, RuntimeException cause);
    }

    private final Geolocator geolocator;
    private final LocateOptions options;
    private final int viewsPerRequest;
    private final int requestsPerBatch;
    private final ImageDecoder decoder = new ImageDecoder();

    BatchLocator(Geolocator geolocator, LocateOptions options, int viewsPerRequest) {
        this.geolocator = geolocator;
        this.options = options;
        this.viewsPerRequest = viewsPerRequest;
        this.requestsPerBatch = Math.max(1, geolocator.manifest().defaults().batchSize() / viewsPerRequest);
    }

    /** @param files a multiple of the views per request, in the order results are wanted */
    void locateAll(List<Path> files, Results results) {
        int filesPerBatch = requestsPerBatch * viewsPerRequest;
        for (int start = 0; start < files.size(); start += filesPerBatch) {
            locateBatch(files.subList(start, Math.min(files.size(), start + filesPerBatch)), results);
        }
    }

    private void locateBatch(List<Path> files, Results results) {
        List<Request> requests = new ArrayList<>();
        for (int start = 0; start < files.size(); start += viewsPerRequest) {
            requests.add(decode(files.subList(start, start + viewsPerRequest)));
        }
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
                results.located(r.files(), p.withExifGps(r.exifGps()).withTimings(p.timings().withDecodeMs(r.decodeMs())));
            }
        }
    }

    /** One pass for the whole batch; null when it failed, so each request is retried alone. */
    private List<Prediction> locateTogether(List<Request> decoded) {
        if (decoded.size() <= 1) {
            return null; // alone, a failure is reported against the request's own files
        }
        try {
            return geolocator.locateBatch(decoded.stream().map(Request::views).toList(), options, StageListener.NONE);
        } catch (RuntimeException e) {
            return null; // one bad request must not fail the others in its batch
        }
    }

    private Prediction locateAlone(Request r, Results results) {
        try {
            return geolocator.locate(r.views(), options, StageListener.NONE);
        } catch (RuntimeException e) {
            results.failed(r.files(), e);
            return null;
        }
    }

    /** A decoded request, or the error (an ImageRejectedException naming the file) that stopped its decoding. */
    private Request decode(List<Path> group) {
        long t0 = System.nanoTime();
        List<BufferedImage> views = new ArrayList<>(group.size());
        LatLon exifGps = null;
        try {
            for (Path file : group) {
                DecodedImage d = decoder.decode(file);
                views.add(d.rgb());
                if (exifGps == null) {
                    exifGps = d.exifGps(); // a panorama's first view with GPS speaks for all four
                }
            }
        } catch (RuntimeException e) {
            return new Request(group, null, null, 0, e);
        }
        return new Request(group, views, exifGps, (System.nanoTime() - t0) / 1e6, null);
    }

    private record Request(List<Path> files, List<BufferedImage> views, LatLon exifGps, double decodeMs,
                           RuntimeException error) {
    }
}
