package org.geopigeon.service;

import java.awt.image.BufferedImage;
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
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageHeader;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.Stage;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditReceipt;
import org.geopigeon.service.store.AuditSpool;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.PredictionStore;
import org.geopigeon.service.store.RegisteredModel;
import org.geopigeon.service.store.StoreException;
import org.geopigeon.service.store.StoredPrediction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geolocation with accountability, the one service behind the CLI ({@code locate --store}), the HTTP
 * service and the WPS process. It takes undecoded images and owns everything from there, in this order:
 * <ol>
 *   <li>image count (1, or 4 panorama views), purpose and topK, before any byte is read;</li>
 *   <li>per image, {@link ImageRules}: byte limit (bounded read), format and declared media type, header
 *       dimensions (bomb guard, 32 px minimum) — still nothing decoded;</li>
 *   <li>the decoded pixels the request will hold are reserved from a budget shared by all requests
 *       ({@link ServiceLimits#maxPixelsInFlight()}); over it the request waits, then is refused with BUSY;</li>
 *   <li>decoding with the engine's {@link ImageDecoder} (EXIF orientation, colour rules, limits), timed;
 *       the photo's GPS position; the {@link PixelHash} of each view;</li>
 *   <li>an inference slot ({@link ServiceLimits#maxConcurrent()}), inference;</li>
 *   <li>the audit row, and with {@code store} the prediction, in one transaction.</li>
 * </ol>
 * Every refusal and failure gets its audit row (written by {@link #recordRefusal}); nothing is returned
 * unless its audit row is committed (fail closed). Messages name the problem for the client; database and
 * inference details go to the server log under an incident id that the message carries.
 */
public final class AuditedGeolocation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditedGeolocation.class);

    /** Smallest width and height accepted by default; the rule itself is {@link ImageRules#minSide()}. */
    public static final int MIN_SIDE = ImageRules.DEFAULT_MIN_SIDE;
    /** Views of a panorama: the engine's rule ({@link Geolocator#PANORAMA_VIEWS}), named here for the service's callers. */
    public static final int PANORAMA_VIEWS = Geolocator.PANORAMA_VIEWS;

    private final ModelProvider model;
    private final DataSource dataSource;
    private final boolean migrate;
    private final AuditLog auditLog;
    private final AuditTrail auditTrail;
    private final PredictionStore store;
    private final ServiceLimits limits;
    private final ImageDecoder decoder;
    private final Semaphore slots;
    private final PixelBudget pixels;
    private volatile boolean schemaReady;
    private volatile RegisteredModel registered;

    /**
     * @param model      lazily loaded model, shared
     * @param dataSource the PostGIS database holding the geopigeon schema
     * @param migrate    apply the migrations before the first write (needs DDL rights)
     * @param limits     image rules, concurrency, pixels in flight and how long to wait for capacity
     */
    public AuditedGeolocation(Supplier<LoadedModel> model, DataSource dataSource, boolean migrate,
                              ServiceLimits limits) {
        this(model, dataSource, migrate, limits, AuditSpool.defaultRoot(System::getProperty, System::getenv));
    }

    /**
     * @param auditSpoolDir root of the local spool for audit rows of refusals the database cannot take
     *                      ({@link AuditTrail})
     */
    public AuditedGeolocation(Supplier<LoadedModel> model, DataSource dataSource, boolean migrate,
                              ServiceLimits limits, Path auditSpoolDir) {
        Objects.requireNonNull(model, "model");
        // A plain supplier serves its one model and refuses other precisions (ModelProvider's default).
        this.model = model instanceof ModelProvider p ? p : model::get;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.migrate = migrate;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.auditTrail = new AuditTrail(dataSource, auditSpoolDir);
        this.auditLog = auditTrail.auditLog();
        this.store = new PredictionStore(dataSource);
        this.decoder = limits.images().decoder();
        this.slots = new Semaphore(limits.maxConcurrent(), true);
        this.pixels = new PixelBudget(limits.maxPixelsInFlight());
    }

    /** Default image rules and pixel budget; {@code slotWait} bounds every wait for capacity. */
    public AuditedGeolocation(Supplier<LoadedModel> model, DataSource dataSource, boolean migrate, int maxConcurrent,
                              Duration slotWait) {
        this(model, dataSource, migrate, ServiceLimits.of(maxConcurrent, slotWait));
    }

    /**
     * How much work this service takes on at once: concurrent inferences, how long a request waits for a slot,
     * decoded pixels in flight.
     */
    public ServiceLimits limits() {
        return limits;
    }

    /**
     * Runs one request end to end.
     *
     * @param listener progress and cancellation (checked between stages), or null
     * @return the committed answer
     * @throws GeolocationException refused (bad input, busy) or failed (model, inference, database, cancelled);
     *                              its message is fit for the client
     */
    public Located locate(LocateRequest request, StageListener listener) {
        StageListener l = listener == null ? StageListener.NONE : listener;
        List<ImageUpload> images = request.images();
        int n = images.size();
        Map<String, Object> params = new LinkedHashMap<>(request.extra());
        params.put("topK", request.topK());
        params.put("views", n);
        params.put("panorama", n == PANORAMA_VIEWS);
        params.put("store", request.store());
        if (request.refine() != null) {
            params.put("refine", request.refine());
        }
        if (request.precision() != null) {
            params.put("precision_requested", request.precision().id());
        }
        params.put("media_types", images.stream().map(u -> u == null || u.declaredType() == null ? "none"
                : u.declaredType()).toList());
        AuditEntry entry = AuditEntry.accepted(request.context().principal(), request.context().clientAddress(),
                request.purpose(), List.of(), params, null);

        // 1. Everything that needs no byte of any image.
        if (n != 1 && n != PANORAMA_VIEWS) {
            throw refuse(entry, ErrorCode.INVALID_IMAGE_COUNT, "send exactly 1 image, or " + PANORAMA_VIEWS
                    + " views of a panorama; got " + n, null);
        }
        if (request.purpose() == null || request.purpose().isBlank()) {
            throw refuse(entry, ErrorCode.INVALID_PURPOSE,
                    "purpose is required: say why you need this location (it is recorded in the audit log)", null);
        }
        if (request.topK() != null && (request.topK() < 1 || request.topK() > LocateOptions.MAX_TOP_K)) {
            throw refuse(entry, ErrorCode.INVALID_TOP_K, "topK must be between 1 and " + LocateOptions.MAX_TOP_K
                    + ", got " + request.topK(), null);
        }

        // 2. Bytes and headers of every image, still decoding nothing.
        List<String> names = new ArrayList<>(n);
        List<byte[]> encoded = new ArrayList<>(n);
        long declaredPixels = 0;
        for (int i = 0; i < n; i++) {
            ImageUpload upload = images.get(i);
            String name = name(upload, i, n);
            try {
                if (upload == null) {
                    throw new ImageRefusal(ImageProblem.MISSING, name, "is missing");
                }
                byte[] bytes = limits.images().read(upload, name);
                ImageHeader header = limits.images().checkHeader(bytes, upload.declaredType(), name);
                names.add(name);
                encoded.add(bytes);
                declaredPixels += header.pixels();
            } catch (ImageRefusal r) {
                throw refuseImage(entry, r);
            }
        }

        LoadedModel m;
        try {
            m = model.get(request.precision());
        } catch (PrecisionUnavailableException e) {
            throw refuse(entry, ErrorCode.INVALID_PRECISION, e.getMessage(), null);
        } catch (RuntimeException e) {
            throw fail(entry, ErrorCode.MODEL_UNAVAILABLE, "the model is not available", e);
        }
        entry = entry.withModel(m.name());
        int topK = request.topK() != null ? request.topK() : m.defaultTopK();
        params.put("topK", topK);
        if (m.precision() != null) {
            params.put("precision", m.precision().id()); // the arithmetic that answers; stored with the prediction
        }
        entry = entry.withParameters(params);

        // 3. Room for the decoded pixels, shared with every other request.
        if (!pixels.fits(declaredPixels)) {
            throw refuseImage(entry, new ImageRefusal(ImageProblem.TOO_MANY_PIXELS, n == 1 ? names.get(0)
                    : "the " + n + " views", "declare " + declaredPixels + " pixels together; this server decodes"
                    + " at most " + pixels.capacityPixels() + " pixels at once"));
        }
        long deadline = System.nanoTime() + limits.busyWait().toNanos();
        PixelBudget.Reservation reservation;
        try {
            reservation = pixels.reserve(declaredPixels, deadline - System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refuse(entry, ErrorCode.CANCELLED, "interrupted while waiting to decode the images", null);
        }
        if (reservation == null) {
            throw refuse(entry, ErrorCode.BUSY, "the server is busy decoding other images (up to "
                    + pixels.capacityPixels() / 1_000_000 + " megapixels at once) and had no room for "
                    + declaredPixels / 1_000_000.0 + " megapixels within " + limits.busyWait().toMillis()
                    + " ms; try again later", null);
        }
        Prediction prediction;
        List<String> hashes = new ArrayList<>(n);
        try (reservation) {
            // 4. Decode, with the real time it takes.
            l.onStage(Stage.DECODE, 0f);
            List<BufferedImage> views = new ArrayList<>(n);
            LatLon gps = null;
            GpsFix.Source gpsSource = null;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DecodedImage d;
                try {
                    d = decoder.decode(encoded.get(i), names.get(i));
                } catch (ImageRejectedException e) {
                    throw refuseImage(entry, ImageRefusal.of(e));
                }
                encoded.set(i, null); // the encoded bytes are not needed any more
                views.add(d.rgb());
                if (gps == null && d.exifGps() != null) { // a panorama's first view with GPS speaks for all four
                    gps = d.exifGps();
                    gpsSource = gpsSource(d);
                }
            }
            double decodeMs = (System.nanoTime() - t0) / 1e6;
            for (BufferedImage v : views) {
                hashes.add(PixelHash.sha256(v));
            }
            entry = entry.withImages(hashes);
            if (l.isCancelled()) {
                throw refuse(entry, ErrorCode.CANCELLED, "cancelled by the client after decoding", null);
            }
            // 5. Inference.
            prediction = infer(m, views, new LocateOptions(topK, request.refine()), entry, l, deadline);
            prediction = prediction.withGps(gps, gpsSource).withTimings(prediction.timings().withDecodeMs(decodeMs));
        } catch (OutOfMemoryError e) {
            // The pixel budget should prevent this; if the heap is too small for it anyway, say so and audit it.
            throw fail(entry, ErrorCode.INFERENCE_FAILED, "the server ran out of memory for this request", e);
        }
        // 6. The audit row (and the prediction): nothing goes out without it.
        return persist(m, entry, prediction, request.store(), hashes, topK, n);
    }

    /**
     * Where in the file the decoder read the photo's own position (EXIF GPS block or XMP packet); null when it has
     * none, or when the metadata does not say (a decoded image built outside the decoder).
     */
    static GpsFix.Source gpsSource(DecodedImage d) {
        GpsFix fix = d.metadata().gps();
        return d.exifGps() != null && fix != null && fix.position().equals(d.exifGps()) ? fix.source() : null;
    }

    /** The image's name in messages: its file name, else its place in the request. */
    private static String name(ImageUpload upload, int index, int count) {
        if (upload != null && upload.fileName() != null) {
            return upload.fileName();
        }
        return count == 1 ? "image" : "image " + (index + 1) + " of " + count;
    }

    private Prediction infer(LoadedModel m, List<BufferedImage> views, LocateOptions options, AuditEntry entry,
                             StageListener l, long deadline) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refuse(entry, ErrorCode.CANCELLED, "interrupted while waiting for a free inference slot", null);
        }
        if (!acquired) {
            throw refuse(entry, ErrorCode.BUSY, "all " + limits.maxConcurrent() + " inference slots stayed busy for "
                    + limits.busyWait().toMillis() + " ms; try again later", null);
        }
        try {
            return m.geolocator().locate(views, options, l);
        } catch (CancellationException e) {
            throw refuse(entry, ErrorCode.CANCELLED, "cancelled by the client: " + e.getMessage(), null);
        } catch (ImageRejectedException e) {
            throw refuseImage(entry, ImageRefusal.of(e));
        } catch (RuntimeException e) {
            throw fail(entry, ErrorCode.INFERENCE_FAILED, "inference failed", e);
        } finally {
            slots.release();
        }
    }

    private Located persist(LoadedModel m, AuditEntry entry, Prediction prediction, boolean storeIt,
                            List<String> hashes, int topK, int views) {
        Long predictionId = null;
        String created = null;
        long auditId;
        try {
            ensureSchema();
            if (storeIt) {
                StoredPrediction s = store.store(registration(m), entry, prediction, topK);
                predictionId = s.predictionId();
                auditId = s.auditId();
                created = s.created() == null ? null : s.created().toString();
            } else {
                auditId = auditTrail.record(entry);
            }
        } catch (StoreException e) {
            // StoreException messages are client-safe (no SQL, no driver text): they say what failed and why, and
            // name the incident under which the detail was logged. One id per failure: reuse it when there is one.
            String incident = e.incidentId();
            String message = "the result was withheld because it could not be recorded in the audit log: "
                    + e.getMessage();
            if (incident == null) {
                incident = Incidents.log(LOG, ErrorCode.STORE_FAILED, "result withheld: the prediction and its"
                        + " audit row could not be written", e);
                message += " (incident " + incident + " in " + StoreException.logName() + ")";
            } else {
                LOG.error("{} incident {}: result withheld: the prediction and its audit row could not be written",
                        ErrorCode.STORE_FAILED, incident, e);
            }
            throw refuse(entry, ErrorCode.STORE_FAILED, message, null, incident, e);
        }
        return new Located(prediction, GeolocationResult.of(prediction, m.trained(), predictionId, auditId, topK,
                views, hashes).withCreated(created));
    }

    /** A server-side failure: the detail goes to the log under an incident id, the client gets the id. */
    private GeolocationException fail(AuditEntry entry, ErrorCode code, String what, Throwable cause) {
        String incident = Incidents.log(LOG, code, what, cause);
        return refuse(entry, code, what + " (incident " + incident + " in " + StoreException.logName() + ")", null,
                incident);
    }

    private GeolocationException refuseImage(AuditEntry entry, ImageRefusal r) {
        Map<String, Object> params = new LinkedHashMap<>(entry.parameters());
        params.put("image_problem", r.problem().name());
        return refuse(entry.withParameters(params), ErrorCode.INVALID_IMAGE, r.getMessage(), r.problem(), null);
    }

    private GeolocationException refuse(AuditEntry entry, ErrorCode code, String message, ImageProblem problem) {
        return refuse(entry, code, message, problem, null);
    }

    /**
     * Records the refusal or failure and returns the exception to throw. The exception carries no cause:
     * GeoServer and other front ends print whole cause chains to clients, and the detail is in the log.
     */
    private GeolocationException refuse(AuditEntry entry, ErrorCode code, String message, ImageProblem problem,
                                        String incident) {
        return refuse(entry, code, message, problem, incident, null);
    }

    /** @param why the database failure behind a STORE_FAILED, so a timed-out database is not waited for twice */
    private GeolocationException refuse(AuditEntry entry, ErrorCode code, String message, ImageProblem problem,
                                        String incident, Throwable why) {
        AuditEntry refused = entry.refused(code);
        if (incident != null) {
            Map<String, Object> params = new LinkedHashMap<>(refused.parameters());
            params.put("incident", incident);
            refused = refused.withParameters(params);
        }
        AuditReceipt receipt = recordRefusal(refused, why);
        if (receipt.auditId() != null) {
            LOG.debug("{} refused ({}), audit row {}: {}", refused.principal(), code, receipt.auditId(), message);
        }
        String ref = incident != null ? incident : receipt.incidentId();
        return new GeolocationException(code, message + receipt.clientNote(), null, receipt.auditId(), problem, ref);
    }

    /**
     * Writes the audit row of a refused or failed request: the one place that does. When the database cannot
     * take it, the row waits in the local spool and is replayed into the hash chain later ({@link AuditTrail}).
     */
    private AuditReceipt recordRefusal(AuditEntry refused, Throwable why) {
        // Spooled locally when the database cannot take it (AuditTrail); the refusal goes out either way.
        return auditTrail.recordRefusal(refused, this::ensureSchema, why);
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

    /** Decoded pixels currently reserved by requests in flight. */
    long pixelsInFlight() {
        return pixels.inFlightPixels();
    }

    /**
     * The hash-chained audit log this service writes every accepted or refused request to (for readers such as {@code
     * geopigeon audit}; writers go through {@link #auditTrail()}).
     */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** The audit log with its local spool: front ends record their own refusals here. */
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    /**
     * Stops this service's background work (the audit spool's replay) and closes its spool segment; the shared model
     * is its holder's to close. Call it when no request runs any more ({@link ServiceRegistry#close}).
     */
    @Override
    public void close() {
        auditTrail.close();
    }
}
