package org.geopigeon.service;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.RgbConverter;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditReceipt;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.PredictionStore;
import org.geopigeon.service.store.RegisteredModel;
import org.geopigeon.service.store.StoreException;
import org.geopigeon.service.store.StoredPrediction;

/**
 * Geolocation with accountability, shared by the WPS process and the CLI: validates the request,
 * caps concurrent inferences, runs the model, and stores the prediction with its audit row, or
 * audits the refusal or failure.
 *
 * <p>Fail closed: a result is returned only after its audit row is committed. If the audit row cannot
 * be written, the caller gets a {@link GeolocationException} and no prediction.
 */
public final class AuditedGeolocation {

    /** Smallest width and height accepted: below this there is nothing to geolocate (1x1 placeholders). */
    public static final int MIN_SIDE = 32;
    public static final int PANORAMA_VIEWS = 4;

    private final Supplier<LoadedModel> model;
    private final DataSource dataSource;
    private final boolean migrate;
    private final AuditLog auditLog;
    private final AuditTrail auditTrail;
    private final PredictionStore store;
    private final Semaphore slots;
    private final int maxConcurrent;
    private final Duration slotWait;
    private volatile boolean schemaReady;
    private volatile RegisteredModel registered;

    /**
     * @param model          lazily loaded model, shared
     * @param dataSource     the PostGIS database holding the geopigeon schema
     * @param migrate        apply the migrations before the first write (needs DDL rights)
     * @param maxConcurrent  inferences allowed at once
     * @param slotWait       how long a request waits for a free slot before it is refused with BUSY
     */
    public AuditedGeolocation(Supplier<LoadedModel> model, DataSource dataSource, boolean migrate, int maxConcurrent,
                              Duration slotWait) {
        this(model, dataSource, migrate, maxConcurrent, slotWait,
                AuditSpool.defaultRoot(System::getProperty, System::getenv));
    }

    /** @param auditSpoolDir root of the local spool for audit rows of refusals the database cannot take */
    public AuditedGeolocation(Supplier<LoadedModel> model, DataSource dataSource, boolean migrate, int maxConcurrent,
                              Duration slotWait, Path auditSpoolDir) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        this.model = Objects.requireNonNull(model, "model");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.migrate = migrate;
        this.auditTrail = new AuditTrail(dataSource, auditSpoolDir);
        this.auditLog = auditTrail.auditLog();
        this.store = new PredictionStore(dataSource);
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.slotWait = Objects.requireNonNull(slotWait, "slotWait");
    }

    /**
     * @throws GeolocationException refused (bad input, busy) or failed (model, inference, database, cancelled)
     */
    public Located locate(LocateRequest request, StageListener listener) {
        StageListener l = listener == null ? StageListener.NONE : listener;
        Map<String, Object> params = new LinkedHashMap<>(request.extra());
        params.put("topK", request.topK());
        params.put("views", request.views().size());
        params.put("panorama", request.views().size() == PANORAMA_VIEWS);
        params.put("store", request.store());
        if (request.refine() != null) {
            params.put("refine", request.refine());
        }
        AuditEntry entry = AuditEntry.accepted(request.context().principal(), request.context().clientAddress(),
                request.purpose(), List.of(), params, null);

        List<BufferedImage> views = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        String imageProblem = readViews(request.views(), views, hashes);
        entry = entry.withImages(hashes);
        if (request.views().size() != 1 && request.views().size() != PANORAMA_VIEWS) {
            throw refuse(entry, ErrorCode.INVALID_IMAGE_COUNT, "send exactly 1 image, or " + PANORAMA_VIEWS
                    + " views of a panorama; got " + request.views().size(), null);
        }
        if (imageProblem != null) {
            throw refuse(entry, ErrorCode.INVALID_IMAGE, imageProblem, null);
        }
        if (request.purpose() == null || request.purpose().isBlank()) {
            throw refuse(entry, ErrorCode.INVALID_PURPOSE,
                    "purpose is required: say why you need this location (it is recorded in the audit log)", null);
        }
        if (request.topK() != null && (request.topK() < 1 || request.topK() > LocateOptions.MAX_TOP_K)) {
            throw refuse(entry, ErrorCode.INVALID_TOP_K, "topK must be between 1 and " + LocateOptions.MAX_TOP_K
                    + ", got " + request.topK(), null);
        }

        LoadedModel m;
        try {
            m = model.get();
        } catch (RuntimeException e) {
            throw refuse(entry, ErrorCode.MODEL_UNAVAILABLE, e.getMessage(), e);
        }
        entry = entry.withModel(m.name());
        int topK = request.topK() != null ? request.topK() : m.defaultTopK();
        params.put("topK", topK);
        entry = entry.withParameters(params);

        Prediction prediction = infer(m, views, new LocateOptions(topK, request.refine()), entry, l);
        if (request.exifGps() != null) {
            prediction = prediction.withExifGps(request.exifGps());
        }
        return persist(m, entry, prediction, request.store(), hashes, topK);
    }

    /** Converts views to RGB and hashes them; returns the first problem, or null when all are usable. */
    private static String readViews(List<RenderedImage> input, List<BufferedImage> views, List<String> hashes) {
        String problem = null;
        for (int i = 0; i < input.size(); i++) {
            RenderedImage img = input.get(i);
            String name = "image " + (i + 1) + " of " + input.size();
            String p = null;
            if (img == null) {
                p = name + " is missing (null or not decodable)";
            } else if (img.getWidth() < MIN_SIDE || img.getHeight() < MIN_SIDE) {
                p = name + " is " + img.getWidth() + "x" + img.getHeight() + " pixels; at least " + MIN_SIDE + "x"
                        + MIN_SIDE + " is needed";
            } else {
                try {
                    BufferedImage rgb = RgbConverter.toRgb(img);
                    views.add(rgb);
                    hashes.add(PixelHash.sha256(rgb));
                } catch (RuntimeException e) {
                    p = name + " cannot be read as RGB: " + e.getMessage();
                }
            }
            if (problem == null) {
                problem = p;
            }
        }
        return problem;
    }

    private Prediction infer(LoadedModel m, List<BufferedImage> views, LocateOptions options, AuditEntry entry,
                             StageListener l) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refuse(entry, ErrorCode.CANCELLED, "interrupted while waiting for a free inference slot", e);
        }
        if (!acquired) {
            throw refuse(entry, ErrorCode.BUSY, "all " + maxConcurrent + " inference slots stayed busy for "
                    + slotWait.toMillis() + " ms; try again later", null);
        }
        try {
            return m.geolocator().locate(views, options, l);
        } catch (CancellationException e) {
            throw refuse(entry, ErrorCode.CANCELLED, "cancelled by the client: " + e.getMessage(), e);
        } catch (ImageRejectedException e) {
            throw refuse(entry, ErrorCode.INVALID_IMAGE, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw refuse(entry, ErrorCode.INFERENCE_FAILED, "inference failed: " + e, e);
        } finally {
            slots.release();
        }
    }

    private Located persist(LoadedModel m, AuditEntry entry, Prediction prediction, boolean storeIt,
                            List<String> hashes, int topK) {
        try {
            ensureSchema();
            if (storeIt) {
                StoredPrediction s = store.store(registration(m), entry, prediction, topK);
                return new Located(prediction, s.predictionId(), s.auditId(), hashes, topK);
            }
            long auditId = auditLog.record(entry);
            return new Located(prediction, null, auditId, hashes, topK);
        } catch (StoreException e) {
            throw refuse(entry, ErrorCode.STORE_FAILED, "the result was withheld because it could not be recorded: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Records the refusal or failure (best effort: the database may be the thing that failed) and
     * returns the exception to throw.
     */
    private GeolocationException refuse(AuditEntry entry, ErrorCode code, String message, Throwable cause) {
        // Spooled locally when the database cannot take it (AuditTrail); the refusal goes out either way.
        AuditReceipt receipt = auditTrail.recordRefusal(entry.refused(code), this::ensureSchema, cause);
        return new GeolocationException(code, message + receipt.clientNote(), cause, receipt.auditId());
    }

    private void ensureSchema() {
        if (!migrate || schemaReady) {
            return;
        }
        synchronized (this) {
            if (!schemaReady) {
                try {
                    Migrations.apply(dataSource);
                } catch (RuntimeException e) {
                    throw new StoreException("database schema migration failed", e);
                }
                schemaReady = true;
            }
        }
    }

    private RegisteredModel registration(LoadedModel m) {
        RegisteredModel r = registered;
        if (r != null && r.name().equals(m.name())) {
            return r;
        }
        synchronized (this) {
            if (registered == null || !registered.name().equals(m.name())) {
                registered = store.register(m.manifest(), m.geocells(), m.source());
            }
            return registered;
        }
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** The audit log with its local spool: front ends record their own refusals here. */
    public AuditTrail auditTrail() {
        return auditTrail;
    }
}
