package org.geopigeon.app.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.auth.Permission;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.app.serve.http.RequestInfo;
import org.geopigeon.service.GeolocationResult;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.ChainStatus;

/**
 * Resources beside the OGC API, for the viewer and for auditors:
 * <ul>
 *   <li>{@code GET /predictions?limit=N} and {@code /predictions/{id}}: stored predictions as GeoJSON, read from
 *       the {@code predicted_points}/{@code predicted_cells} views GeoServer and QGIS publish. Viewers, auditors
 *       and admins see all; an analyst sees the predictions whose audit row names them.</li>
 *   <li>{@code GET /model}: the model summary. {@code GET /boundaries}: the viewer's background outlines.</li>
 *   <li>{@code GET /audit?since=&limit=} and {@code GET /audit/verify}: the audit log and its hash-chain check
 *       (auditor, admin).</li>
 * </ul>
 */
public final class BrowseRoutes {

    /** One audit row as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditRow(long id, String ts, String principal, @JsonProperty("client_address") String clientAddress,
                           String purpose, @JsonProperty("image_sha256") List<String> imageSha256,
                           JsonNode parameters, String outcome, @JsonProperty("error_code") String errorCode,
                           @JsonProperty("prediction_id") Long predictionId, String model,
                           @JsonProperty("row_hash") String rowHash) {
    }

    /** The audit log page. */
    public record AuditPage(List<AuditRow> rows, @JsonProperty("next_since") String nextSince) {
    }

    /** The chain check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChainCheck(boolean intact, @JsonProperty("rows_checked") long rowsChecked,
                             @JsonProperty("broken_id") Long brokenId, String reason) {
    }

    private final StoredPredictions predictions;
    private final ServedModel model;
    private final Boundaries boundaries;
    private final AuditLog auditLog;
    private final JsonBodies json;

    public BrowseRoutes(StoredPredictions predictions, ServedModel model, Boundaries boundaries, AuditLog auditLog,
                        JsonBodies json) {
        this.predictions = predictions;
        this.model = model;
        this.boundaries = boundaries;
        this.auditLog = auditLog;
        this.json = json;
    }

    /**
     * Registers {@code GET /predictions} (the caller's own unless their role sees everyone; {@code limit} 1-500,
     * default 20), {@code /predictions/{id}}, {@code /model}, {@code /boundaries} (GeoJSON, cached an hour) and, for
     * auditors, {@code /audit} and {@code /audit/verify}; each with the permission the server checks.
     */
    public void register(RoutesConfig r) {
        r.get("/predictions", this::recent, Permission.BROWSE);
        r.get("/predictions/{id}", this::one, Permission.BROWSE);
        r.get("/model", ctx -> json.write(ctx, 200, JsonBodies.JSON, model.summary()), Permission.BROWSE);
        r.get("/boundaries", ctx -> ctx.header("Cache-Control", "max-age=3600")
                .header("X-GeoPigeon-Boundaries", boundaries.kind()).contentType(JsonBodies.GEOJSON)
                .result(boundaries.bytes()));
        r.get("/audit", this::audit, Permission.AUDIT);
        r.get("/audit/verify", this::verify, Permission.AUDIT);
    }

    private static String owner(Caller c) {
        return c.role().seesEveryone() ? null : c.name();
    }

    private void recent(Context ctx) {
        int limit = intParam(ctx, "limit", 20, 1, 500);
        json.write(ctx, 200, JsonBodies.GEOJSON, predictions.recent(limit, owner(RequestInfo.caller(ctx))));
    }

    private void one(Context ctx) {
        String raw = ctx.pathParam("id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw notFound(raw);
        }
        GeolocationResult r = predictions.byId(id, owner(RequestInfo.caller(ctx))).orElseThrow(() -> notFound(raw));
        json.write(ctx, 200, JsonBodies.GEOJSON, PredictionGeoJson.of(r));
    }

    private static ProblemException notFound(String id) {
        return ProblemException.of(404, "NOT_FOUND", "there is no stored prediction '" + id + "' you may see");
    }

    private void audit(Context ctx) {
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        OffsetDateTime since = null;
        String s = ctx.queryParam("since");
        if (s != null && !s.isBlank()) {
            try {
                since = OffsetDateTime.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw ProblemException.of(400, "INVALID_PARAMETER", "since must be an ISO 8601 time with offset, e.g."
                        + " 2025-01-31T00:00:00Z, got '" + s + "'");
            }
        }
        List<AuditRecord> records = auditLog.list(since, limit);
        List<AuditRow> rows = records.stream().map(this::row).toList();
        String next = records.size() == limit ? records.get(records.size() - 1).ts().plusNanos(1000).toString() : null;
        json.write(ctx, 200, JsonBodies.JSON, new AuditPage(rows, next));
    }

    private AuditRow row(AuditRecord r) {
        JsonNode params;
        try {
            params = json.mapper().readTree(r.parameters());
        } catch (JsonProcessingException e) {
            params = null;
        }
        return new AuditRow(r.id(), r.ts().toString(), r.principal(), r.clientAddress(), r.purpose(), r.imageSha256(),
                params, r.outcome().dbValue(), r.errorCode(), r.predictionId(), r.model(), r.rowHashHex());
    }

    private void verify(Context ctx) {
        ChainStatus s = auditLog.verify();
        json.write(ctx, s.intact() ? 200 : 409, JsonBodies.JSON,
                new ChainCheck(s.intact(), s.rowsChecked(), s.brokenId(), s.reason()));
    }

    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.of(400, "INVALID_PARAMETER", name + " must be an integer from " + min + " to " + max
                + ", got '" + v + "'");
    }
}
