package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.ImageUpload;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.RequestContext;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditReceipt;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;

/**
 * {@code POST /api/v1/locate}: a thin adapter. The upload's images go undecoded to {@link AuditedGeolocation},
 * which checks, decodes, bounds memory, audits and stores; its answer goes back as GeoJSON. Every request that
 * reaches this endpoint gets exactly one audit row: the service writes it for requests it sees (accepted,
 * refused, failed); requests refused here before that (body too large, wrong media type, broken multipart,
 * foreign origin) are recorded here. Nothing is returned unless its audit row is committed.
 */
final class LocateEndpoint implements Endpoint {

    private final AuditedGeolocation service;
    private final AuditTrail auditTrail;
    private final BodyReader bodyReader;
    private final ClientIdentity identity;
    private final ServedModel model;
    private final boolean storeDefault;

    LocateEndpoint(AuditedGeolocation service, BodyReader bodyReader, ClientIdentity identity, ServedModel model,
                   boolean storeDefault) {
        this.service = service;
        this.auditTrail = service.auditTrail();
        this.bodyReader = bodyReader;
        this.identity = identity;
        this.model = model;
        this.storeDefault = storeDefault;
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
        List<ImageUpload> images = upload.images().stream()
                .map(i -> ImageUpload.of(i.bytes(), i.mediaType(), i.name())).toList();
        boolean store = upload.store() != null ? upload.store() : storeDefault;
        Located located;
        try {
            located = service.locate(new LocateRequest(images, upload.purpose(), upload.topK(), store, who, extra),
                    StageListener.NONE);
        } catch (GeolocationException e) {
            return refused(e);
        }
        Response r = Response.geoJson(PredictionGeoJson.of(located.result()));
        if (located.predictionId() != null) {
            r = r.withHeader("Location", "/api/v1/predictions/" + located.predictionId());
        }
        return r;
    }

    /** The service refused (and audited) the request; its message is written for the client. */
    private static Response refused(GeolocationException e) {
        int status = e.imageProblem() != null ? HttpStatuses.of(e.imageProblem()) : HttpStatuses.of(e.code());
        Response r = Response.error(status, e.code().name(), e.getMessage(), e.auditId());
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
