package org.geopigeon.app.serve.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.geopigeon.app.serve.ServedModel;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.ImageUpload;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.store.ErrorCode;

/**
 * The one place the HTTP service calls the audited geolocation service: front ends hand it undecoded images
 * (bytes, declared media type, name) and get the service's one answer model back ({@link Located}). The
 * service checks, decodes and audits everything; this class adds what belongs to HTTP:
 * <ul>
 *   <li>how many geolocations may wait at once ({@code maxQueued}): beyond that a request is refused at once
 *       with BUSY (audited) instead of holding an HTTP thread;</li>
 *   <li>a {@code Retry-After} that reflects reality: measured service times for BUSY
 *       ({@link ExecutionMetrics}), the database's recent state for STORE_FAILED ({@link StoreHealth}).</li>
 * </ul>
 */
public final class GeolocationAdapter {

    private final AuditedGeolocation service;
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
    public GeolocationAdapter(AuditedGeolocation service, ServedModel model, boolean storeDefault,
                              ExecutionMetrics metrics, int maxQueued, RefusalAudit refusals, StoreHealth storeHealth) {
        this.service = service;
        this.model = model;
        this.storeDefault = storeDefault;
        this.metrics = metrics;
        this.admission = new Semaphore(maxQueued);
        this.maxQueued = maxQueued;
        this.refusals = refusals;
        this.storeHealth = storeHealth;
    }

    /** The service-time metrics this adapter updates after each geolocation. */
    public ExecutionMetrics metrics() {
        return metrics;
    }

    /** The model this adapter serves (name, trained flag, manifest summary). */
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
            List<ImageUpload> images = request.images().stream()
                    .map(i -> ImageUpload.of(i.bytes(), i.mediaType(), i.name())).toList();
            boolean store = request.store() != null ? request.store() : storeDefault;
            Located located = service.locate(new LocateRequest(images, request.purpose(), request.topK(), store,
                    request.caller().context(), auditParameters(request), null, request.precision()),
                    listener == null ? StageListener.NONE : listener);
            measured = true;
            return new GeolocationOutcome(located, model.trained());
        } catch (GeolocationException e) {
            throw failure(e);
        } finally {
            metrics.finished(System.nanoTime() - t0, measured);
            admission.release();
        }
    }

    private GeolocationFailure failure(GeolocationException e) {
        Integer retry = null;
        if (e.code() == ErrorCode.BUSY) {
            retry = metrics.retryAfterSeconds();
        } else if (e.code() == ErrorCode.STORE_FAILED || e.auditId() == null) {
            storeHealth.storeFailed();
            retry = storeHealth.retryAfterSeconds();
        }
        return new GeolocationFailure(e.code(), e.getMessage(), e.auditId(), e.imageProblem(), retry);
    }

    private static Map<String, Object> auditParameters(GeolocateRequest request) {
        Map<String, Object> p = new LinkedHashMap<>(request.extra());
        p.putAll(request.caller().auditParameters());
        return p;
    }
}
