package org.geopigeon.app.serve.legacy;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.auth.Permission;
import org.geopigeon.app.serve.http.AccessGate;
import org.geopigeon.app.serve.http.BodyFailures;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.app.serve.http.RequestInfo;
import org.geopigeon.app.serve.process.GeolocateOutputs;
import org.geopigeon.app.serve.process.GeolocateProcess;
import org.geopigeon.app.serve.process.GeolocateRequest;
import org.geopigeon.app.serve.process.GeolocationAdapter;
import org.geopigeon.app.serve.process.GeolocationFailure;
import org.geopigeon.app.serve.process.GeolocationOutcome;
import org.geopigeon.app.serve.process.RefusalAudit;
import org.geopigeon.app.serve.process.UploadedImage;
import org.geopigeon.engine.predict.StageListener;

/**
 * The first API of the service, kept for existing scripts (docs/service.md, "The old /api/v1 API"):
 * <ul>
 *   <li>{@code POST /api/v1/locate} still works: {@code multipart/form-data} (fields image x1 or x4, purpose,
 *       topK, store) or the raw image with the fields in the query string; it answers the same GeoJSON as before
 *       (the estimate, then the cells) through the same audited path as the OGC API, with
 *       {@code Deprecation} and a {@code Link} to its successor. Errors are problem details now, still with
 *       {@code code} and {@code audit_id}.</li>
 *   <li>the read-only paths answer {@code 308 Permanent Redirect} to their new place, with a JSON note.</li>
 * </ul>
 * Multipart bodies are parsed by Jetty in memory (see {@code GeoPigeonServer}): nothing is written to disk.
 */
public final class LegacyApi {

    public static final String LOCATE = "/api/v1/locate";
    private static final String OVER_LIMIT = "a part or the number of parts is over the limit";
    private static final String SUCCESSOR = "</processes/geolocate/execution>; rel=\"successor-version\"";

    /** The body of a redirect. */
    public record Moved(String moved, String location, String note) {
    }

    private final GeolocationAdapter adapter;
    private final RefusalAudit refusals;
    private final JsonBodies json;
    private final BodyFailures bodyFailures;

    /** @param bodyFailures how failures of the HTTP layer while a body is read are answered (limits, framing) */
    public LegacyApi(GeolocationAdapter adapter, RefusalAudit refusals, JsonBodies json, BodyFailures bodyFailures) {
        this.adapter = adapter;
        this.refusals = refusals;
        this.json = json;
        this.bodyFailures = bodyFailures;
    }

    /**
     * Registers {@code POST /api/v1/locate} (the old synchronous API, audited like the OGC one) and 308 permanent
     * redirects (with {@code Deprecation: true}) from the other {@code /api/v1/...} paths to their new homes.
     */
    public void register(RoutesConfig r) {
        r.post(LOCATE, this::locate);
        r.get("/api/v1/predictions", ctx -> moved(ctx, "/predictions"));
        r.get("/api/v1/predictions/{id}", ctx -> moved(ctx, "/predictions/" + ctx.pathParam("id")));
        r.get("/api/v1/health", ctx -> moved(ctx, "/health/ready"));
        r.get("/api/v1/model", ctx -> moved(ctx, "/model"));
        r.get("/api/v1/boundaries", ctx -> moved(ctx, "/boundaries"));
    }

    private void moved(Context ctx, String to) {
        String q = ctx.queryString();
        String location = to + (q == null || q.isBlank() ? "" : "?" + q);
        ctx.header("Location", location).header("Deprecation", "true");
        json.write(ctx, 308, JsonBodies.JSON, new Moved(ctx.path(), location, "the /api/v1 paths moved when the"
                + " service adopted OGC API - Processes; read resources need an API token now (docs/service.md)"));
    }

    private void locate(Context ctx) {
        Caller caller = RequestInfo.caller(ctx);
        ctx.header("Deprecation", "true").header("Link", SUCCESSOR);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("interface", "http");
        GeolocateRequest request;
        String purpose = ctx.queryParam("purpose");
        try {
            if (!caller.can(Permission.EXECUTE)) {
                throw ProblemException.of(403, "FORBIDDEN", "role " + caller.role().id() + " may not run"
                        + " geolocation; an analyst or admin token is needed");
            }
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
            if (type.startsWith("multipart/form-data")) {
                List<UploadedImage> images = multipart(ctx, bodyFailures);
                purpose = field(ctx, "purpose");
                request = new GeolocateRequest(images, purpose, topK(field(ctx, "topK")), store(field(ctx, "store")),
                        caller, extra);
            } else if (type.isEmpty() || type.startsWith("image/") || type.startsWith("application/octet-stream")) {
                request = new GeolocateRequest(List.of(new UploadedImage(body(ctx), null, "request body")),
                        purpose, topK(ctx.queryParam("topK")), store(ctx.queryParam("store")), caller, extra);
            } else {
                throw ProblemException.of(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type '" + ctx.contentType()
                        + "' is not accepted: send multipart/form-data with an 'image' field, or the image itself as"
                        + " image/jpeg, image/png or image/webp");
            }
        } catch (ProblemException e) {
            throw refusals.record(e, caller, ctx.ip(), purpose, extra);
        }
        GeolocationOutcome outcome;
        try {
            outcome = adapter.locate(request, StageListener.NONE);
        } catch (GeolocationFailure f) {
            throw GeolocateProcess.problem(f, true);
        }
        ctx.attribute(AccessGate.AUDITED, Boolean.TRUE); // the service wrote its row: a later failure adds none
        if (outcome.located().predictionId() != null) {
            ctx.header("Location", "/predictions/" + outcome.located().predictionId());
        }
        json.write(ctx, 200, JsonBodies.GEOJSON, GeolocateOutputs.of(outcome).combined());
    }

    /** The raw body; a failure of the HTTP layer (body limit, broken chunking) is the problem the client gets. */
    private byte[] body(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            throw bodyFailures.problem(e).orElseThrow(() -> e);
        }
    }

    /**
     * The image parts; a broken body is a 400 naming the problem, a part over its limit 413. The servlet API's
     * parser throws ServletException, IOException or runtime ones whose text is meant for logs, never shown.
     */
    private static List<UploadedImage> multipart(Context ctx, BodyFailures failures) {
        try {
            return files(ctx);
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            java.util.Optional<ProblemException> http = failures.problem(e);
            if (http.isPresent() && http.get().problem().status() != 400) {
                throw http.get();
            }
            String reason = multipartReason(e);
            if (reason.equals(OVER_LIMIT)) {
                throw ProblemException.of(413, "TOO_LARGE", "an uploaded part is larger than the limit of "
                        + failures.maxImageBytes() + " bytes per image, or the form has too many parts");
            }
            throw ProblemException.of(400, "INVALID_MULTIPART", "the multipart/form-data body is broken: " + reason);
        }
    }

    /** What is wrong with a multipart body, in user terms; the parser's own text only when it is plain words. */
    static String multipartReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("boundary")) {
                return "its boundary is missing or does not match the Content-Type header";
            }
            if (lower.contains("max") && (lower.contains("size") || lower.contains("length") || lower.contains("parts"))) {
                return OVER_LIMIT;
            }
            if (lower.contains("eof") || lower.contains("incomplete") || lower.contains("early")) {
                return "it ends before its closing boundary";
            }
        }
        return "it cannot be parsed as multipart/form-data (RFC 7578)";
    }

    private static List<UploadedImage> files(Context ctx) {
        List<UploadedImage> images = new ArrayList<>();
        int n = 0;
        for (UploadedFile f : ctx.uploadedFiles("image")) {
            n++;
            if (f.filename().isEmpty() && f.size() == 0) {
                continue; // a file input left empty in a browser form
            }
            try (InputStream in = f.content()) {
                String name = f.filename().isBlank() ? "image " + n : f.filename();
                images.add(new UploadedImage(in.readAllBytes(), f.contentType(), name));
            } catch (IOException e) {
                throw ProblemException.of(400, "INVALID_MULTIPART", "the uploaded file " + f.filename()
                        + " could not be read: the upload was cut off");
            }
        }
        return images;
    }

    private static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null ? v : ctx.queryParam(name);
    }

    private static Integer topK(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.of(400, "INVALID_TOP_K", "topK must be an integer, got '" + v + "'");
        }
    }

    private static Boolean store(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Boolean.TRUE;
            case "false", "0", "no", "off" -> Boolean.FALSE;
            default -> throw ProblemException.of(400, "INVALID_PARAMETER", "store must be true or false, got '" + v
                    + "'");
        };
    }
}
