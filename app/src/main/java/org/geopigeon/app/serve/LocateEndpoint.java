package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.RequestContext;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditReceipt;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;

/**
 * {@code POST /api/v1/locate}. Every request that reaches it gets exactly one audit row: the geolocation
 * service writes it for requests it sees (accepted, refused, failed); requests refused here before that
 * (body too large, wrong media type, broken multipart, foreign origin, busy) are recorded here. Nothing is
 * returned unless its audit row is committed.
 */
final class LocateEndpoint implements Endpoint {

    private final AuditedGeolocation service;
    private final AuditTrail auditTrail;
    private final ImageDecoder decoder;
    private final BodyReader bodyReader;
    private final ClientIdentity identity;
    private final ServedModel model;
    private final boolean storeDefault;
    /** Bounds decoded images in memory (up to 80 MP each), not only inferences. */
    private final Semaphore slots;
    private final Duration busyWait;

    LocateEndpoint(AuditedGeolocation service, ImageDecoder decoder, BodyReader bodyReader, ClientIdentity identity,
                   ServedModel model, boolean storeDefault, int maxConcurrent, Duration busyWait) {
        this.service = service;
        this.auditTrail = service.auditTrail();
        this.decoder = decoder;
        this.bodyReader = bodyReader;
        this.identity = identity;
        this.model = model;
        this.storeDefault = storeDefault;
        this.slots = new Semaphore(maxConcurrent, true);
        this.busyWait = busyWait;
    }

    @Override
    public Response handle(HttpExchange exchange) throws IOException {
        RequestContext who = identity.of(exchange);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("interface", "http");
        String forwarded = ClientIdentity.forwardedFor(exchange);
        if (forwarded != null) {
            extra.put("forwarded_for", forwarded);
        }
        Upload upload;
        try {
            checkSameOrigin(exchange);
            byte[] body = bodyReader.read(exchange);
            upload = Upload.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body,
                    QueryString.of(exchange.getRequestURI()));
        } catch (ApiException e) {
            return refusedHere(e, who, Upload.queryOnly(exchange).purpose(), extra, HttpStatuses.auditCode(e));
        }
        boolean acquired;
        try {
            acquired = slots.tryAcquire(busyWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refusedHere(new ApiException(503, ErrorCode.CANCELLED.name(), "server shutting down"), who,
                    upload.purpose(), extra, ErrorCode.CANCELLED);
        }
        if (!acquired) {
            return refusedHere(new ApiException(503, ErrorCode.BUSY.name(), "all upload slots stayed busy for "
                    + busyWait.toMillis() + " ms; try again later"), who, upload.purpose(), extra, ErrorCode.BUSY)
                    .withHeader("Retry-After", "10");
        }
        try {
            return locate(upload, who, extra);
        } finally {
            slots.release();
        }
    }

    private Response locate(Upload upload, RequestContext who, Map<String, Object> extra) {
        long t0 = System.nanoTime();
        List<RenderedImage> views = new ArrayList<>();
        LatLon exif = null;
        ImageRejectedException rejected = null;
        for (Upload.Image image : upload.images()) {
            try {
                DecodedImage d = decoder.decode(image.bytes(), image.name());
                views.add(d.rgb());
                exif = exif != null ? exif : d.exifGps(); // a panorama's first view with GPS speaks for all
            } catch (ImageRejectedException e) {
                views.add(null); // the service refuses and audits it; we answer with the decoder's reason
                rejected = rejected != null ? rejected : e;
            }
        }
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        boolean store = upload.store() != null ? upload.store() : storeDefault;
        LocateRequest request = new LocateRequest(views, upload.purpose(), upload.topK(), store, who, exif, extra);
        Located located;
        try {
            located = service.locate(request, StageListener.NONE);
        } catch (GeolocationException e) {
            return refused(e, rejected);
        }
        var p = located.prediction();
        Located withDecode = new Located(p.withTimings(p.timings().withDecodeMs(decodeMs)), located.predictionId(),
                located.auditId(), located.imageSha256(), located.topK());
        Response r = Response.geoJson(PredictionGeoJson.of(withDecode, model.trained()));
        if (located.predictionId() != null) {
            r = r.withHeader("Location", "/api/v1/predictions/" + located.predictionId());
        }
        return r;
    }

    /** The service refused (and audited) the request; a decoder rejection gives the precise status and reason. */
    private static Response refused(GeolocationException e, ImageRejectedException rejected) {
        String message = e.getMessage();
        int status = HttpStatuses.of(e.code());
        if (e.code() == ErrorCode.INVALID_IMAGE && rejected != null) {
            status = HttpStatuses.of(rejected.reason());
            message = rejected.getMessage() + (e.auditId() == null ? " (" + message + ")" : "");
        }
        Response r = Response.error(status, e.code().name(), message, e.auditId());
        return e.code() == ErrorCode.BUSY ? r.withHeader("Retry-After", "10") : r;
    }

    /** Records a request refused before the service saw it, then answers with the refusal. */
    private Response refusedHere(ApiException e, RequestContext who, String purpose, Map<String, Object> extra,
                                 ErrorCode code) {
        Map<String, Object> params = new LinkedHashMap<>(extra);
        params.put("problem", e.getMessage());
        AuditEntry entry = AuditEntry.accepted(who.principal(), who.clientAddress(), purpose, List.of(), params,
                model.name()).refused(code);
        AuditReceipt receipt = auditTrail.recordRefusal(entry); // spooled when the database cannot take it
        return Response.error(e.status(), e.code(), e.getMessage() + receipt.clientNote(), receipt.auditId());
    }

    /**
     * Browsers send Origin on cross-site POSTs; a web page elsewhere must not be able to make a visitor's
     * browser submit photos here (their proxy credentials would be used). curl sends no Origin.
     */
    private static void checkSameOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        String forwardedHost = exchange.getRequestHeaders().getFirst("X-Forwarded-Host");
        if (origin == null || host == null) {
            return;
        }
        String originHost;
        try {
            URI u = URI.create(origin.trim());
            originHost = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        boolean same = originHost != null && (originHost.equalsIgnoreCase(host.trim())
                || forwardedHost != null && originHost.equalsIgnoreCase(forwardedHost.trim()));
        if (!same) {
            throw new ApiException(403, "CROSS_ORIGIN", "request from origin '" + origin + "' refused: the"
                    + " locate API only accepts requests from its own pages (Host " + host + ") or from"
                    + " non-browser clients");
        }
    }
}
