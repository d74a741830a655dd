package org.geopigeon.app.serve.process;

import java.awt.image.RenderedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.geopigeon.app.serve.ServedModel;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.store.ErrorCode;

/**
 * The one place the HTTP service calls the audited geolocation service. Front ends hand it undecoded images
 * (bytes, declared media type, name) and get one outcome back.
 *
 * <p>Why an adapter: today's {@link AuditedGeolocation} takes decoded images, so this class decodes them
 * (the service then refuses and audits an undecodable image; the decoder's precise reason is kept for the
 * answer). When the service takes undecoded images itself (issue 7) this class shrinks to a call.
 *
 * <p>It also bounds how many geolocations may wait at once ({@code maxQueued}): beyond that a request is
 * refused at once with BUSY and a {@code Retry-After} computed from measured service times, instead of
 * holding an HTTP thread.
 */
public final class GeolocationAdapter {

    /** Media types a client may declare for an image ({@code application/octet-stream}: let the bytes tell). */
    public static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/webp");

    private final AuditedGeolocation service;
    private final ImageDecoder decoder;
    private final ServedModel model;
    private final boolean storeDefault;
    private final ExecutionMetrics metrics;
    private final Semaphore admission;
    private final int maxQueued;
    private final RefusalAudit refusals;
    private final StoreHealth storeHealth;

    /**
     * @param maxQueued geolocations allowed to run or wait at once
     */
    public GeolocationAdapter(AuditedGeolocation service, ImageDecoder decoder, ServedModel model, boolean storeDefault,
                              ExecutionMetrics metrics, int maxQueued, RefusalAudit refusals, StoreHealth storeHealth) {
        this.service = service;
        this.decoder = decoder;
        this.model = model;
        this.storeDefault = storeDefault;
        this.metrics = metrics;
        this.admission = new Semaphore(maxQueued);
        this.maxQueued = maxQueued;
        this.refusals = refusals;
        this.storeHealth = storeHealth;
    }

    public ExecutionMetrics metrics() {
        return metrics;
    }

    public ServedModel model() {
        return model;
    }

    /**
     * @throws GeolocationFailure refused or failed; audited (see {@link GeolocationFailure#auditId()})
     */
    public GeolocationOutcome locate(GeolocateRequest request, StageListener listener) {
        if (!admission.tryAcquire()) {
            int retry = metrics.retryAfterSeconds();
            ProblemException audited = refusals.record(ProblemException.of(503, "BUSY", maxQueued
                    + " geolocations are already running or waiting; try again in " + retry + " s"), request.caller(),
                    null, request.purpose(), auditParameters(request));
            throw new GeolocationFailure(ErrorCode.BUSY, audited.problem().detail(), audited.problem().auditId(), null,
                    retry);
        }
        long t0 = System.nanoTime();
        metrics.started();
        boolean measured = false;
        try {
            Located located = run(request, listener, t0);
            measured = true;
            return new GeolocationOutcome(located, model.trained());
        } finally {
            metrics.finished(System.nanoTime() - t0, measured);
            admission.release();
        }
    }

    private Located run(GeolocateRequest request, StageListener listener, long t0) {
        List<RenderedImage> views = new ArrayList<>();
        LatLon exif = null;
        ImageRejectedException rejected = null;
        for (UploadedImage image : request.images()) {
            try {
                checkDeclaredType(image);
                DecodedImage d = decoder.decode(image.bytes(), image.name());
                views.add(d.rgb());
                exif = exif != null ? exif : d.exifGps(); // a panorama's first view with GPS speaks for all
            } catch (ImageRejectedException e) {
                views.add(null); // the service refuses and audits it; the answer gives the decoder's reason
                rejected = rejected != null ? rejected : e;
            }
        }
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        boolean store = request.store() != null ? request.store() : storeDefault;
        LocateRequest locate = new LocateRequest(views, request.purpose(), request.topK(), store,
                request.caller().context(), exif, auditParameters(request));
        Located located;
        try {
            located = service.locate(locate, listener == null ? StageListener.NONE : listener);
        } catch (GeolocationException e) {
            throw failure(e, rejected);
        }
        Prediction p = located.prediction();
        return new Located(p.withTimings(p.timings().withDecodeMs(decodeMs)), located.predictionId(),
                located.auditId(), located.imageSha256(), located.topK());
    }

    private GeolocationFailure failure(GeolocationException e, ImageRejectedException rejected) {
        String message = e.getMessage();
        ImageRejectedException.Reason reason = null;
        if (e.code() == ErrorCode.INVALID_IMAGE && rejected != null) {
            reason = rejected.reason();
            message = rejected.getMessage() + (e.auditId() == null ? " (" + message + ")" : "");
        }
        Integer retry = null;
        if (e.code() == ErrorCode.BUSY) {
            retry = metrics.retryAfterSeconds();
        } else if (e.code() == ErrorCode.STORE_FAILED || e.auditId() == null) {
            storeHealth.storeFailed();
            retry = storeHealth.retryAfterSeconds();
        }
        return new GeolocationFailure(e.code(), message, e.auditId(), reason, retry);
    }

    /** A declared type that is not an image is refused like an undecodable file, naming both. */
    private static void checkDeclaredType(UploadedImage image) {
        String t = ExecuteRequestReader.baseType(image.mediaType());
        if (t != null && !IMAGE_TYPES.contains(t) && !t.equals("application/octet-stream")) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, image.name(),
                    "declared as '" + image.mediaType() + "'; send image/jpeg, image/png or image/webp");
        }
    }

    private static Map<String, Object> auditParameters(GeolocateRequest request) {
        Map<String, Object> p = new LinkedHashMap<>(request.extra());
        p.putAll(request.caller().auditParameters());
        return p;
    }
}
