package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.service.ImageProblem;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Stage;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.ErrorCode;

/**
 * The {@code geolocate} process: where was this photo taken? Inputs {@code image} (1 photo or the 4 views of
 * a panorama, base64 JPEG/PNG/WebP), {@code purpose} (required, audited), {@code topK}, {@code store},
 * {@code precision} (auto, fp32, bf16, fp16, int8: see {@link ServedPrecisions});
 * outputs {@code cells} and {@code location} (see {@link GeolocateOutputs}). Every execution leaves one audit
 * row: the service writes it for requests it sees, this class for inputs it refuses before.
 */
public final class GeolocateProcess implements OgcProcess {

    public static final String ID = "geolocate";
    static final String PRECISION = "precision";
    static final int MAX_PURPOSE_CHARS = 2000;

    private final GeolocationAdapter adapter;
    private final RefusalAudit refusals;
    private final ProcessSpec spec;

    /**
     * @param precisions what the server answers in, for the {@code precision} input's description
     */
    public GeolocateProcess(GeolocationAdapter adapter, RefusalAudit refusals, ObjectMapper mapper, boolean storeDefault,
                            int defaultTopK, ServedPrecisions precisions) {
        this.adapter = adapter;
        this.refusals = refusals;
        this.spec = describe(mapper, storeDefault, defaultTopK, precisions);
    }

    /** A process whose server answers in one precision, not named in its description. */
    public GeolocateProcess(GeolocationAdapter adapter, RefusalAudit refusals, ObjectMapper mapper, boolean storeDefault,
                            int defaultTopK) {
        this(adapter, refusals, mapper, storeDefault, defaultTopK, ServedPrecisions.UNKNOWN);
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public boolean audited() {
        return true;
    }

    /** The purpose as stated, for the audit row of a request refused before the process ran; else null. */
    public static String statedPurpose(ExecuteRequest request) {
        List<InputValue> v = request.values("purpose");
        return !v.isEmpty() && v.get(0) instanceof InputValue.Json j && j.value().isTextual() ? j.value().asText() : null;
    }

    @Override
    public ProcessResult execute(ExecuteRequest request, Caller caller, JobContext job) {
        GeolocateRequest geo;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("interface", "ogcapi");
        if (job.jobId() != null) {
            extra.put("job_id", job.jobId());
        }
        try {
            geo = request(request, caller, extra);
        } catch (ProblemException e) {
            throw refusals.record(e, caller, null, statedPurpose(request), extra);
        }
        GeolocationOutcome outcome;
        try {
            outcome = adapter.locate(geo, listener(job));
        } catch (GeolocationFailure f) {
            throw problem(f, false);
        }
        GeolocateOutputs out = GeolocateOutputs.of(outcome);
        Map<String, OutputValue> outputs = new LinkedHashMap<>();
        outputs.put(GeolocateOutputs.CELLS, OutputValue.json(JsonBodies.GEOJSON, out.cells()));
        outputs.put(GeolocateOutputs.LOCATION, OutputValue.json(JsonBodies.GEOJSON, out.location()));
        return new ProcessResult(outputs, outcome.located().auditId(), outcome.located().predictionId());
    }

    private GeolocateRequest request(ExecuteRequest request, Caller caller, Map<String, Object> extra) {
        List<UploadedImage> images = new ArrayList<>();
        List<InputValue> values = request.values("image");
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof InputValue.Binary b)) {
                throw ProblemException.of(400, "INVALID_IMAGE", "input 'image' value " + (i + 1) + " is not image data");
            }
            images.add(new UploadedImage(b.bytes(), b.mediaType(), "image " + (i + 1) + " of " + values.size()));
        }
        String purpose = text(request, "purpose");
        if (purpose != null && purpose.length() > MAX_PURPOSE_CHARS) {
            throw ProblemException.of(400, "INVALID_PURPOSE", "purpose is " + purpose.length() + " characters; at most "
                    + MAX_PURPOSE_CHARS + " are recorded");
        }
        Integer topK = integer(request, "topK");
        Boolean store = bool(request, "store");
        PrecisionChoice precision = precision(request);
        return new GeolocateRequest(images, purpose, topK, store, caller, extra, precision);
    }

    /** A stage listener reporting progress to the job and stopping when it is dismissed. */
    private static StageListener listener(JobContext job) {
        return new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
                job.progress(Math.round(fraction * 100), stage.name().toLowerCase(java.util.Locale.ROOT));
            }

            @Override
            public boolean isCancelled() {
                return job.isCancelled();
            }
        };
    }

    /**
     * The answer to a refused or failed geolocation.
     *
     * @param legacy the old /api/v1 API, which answered a missing purpose with 422
     */
    public static ProblemException problem(GeolocationFailure f, boolean legacy) {
        int status = switch (f.code()) {
            case INVALID_PURPOSE -> legacy ? 422 : 400;
            case INVALID_TOP_K, INVALID_IMAGE_COUNT, INVALID_REQUEST, INVALID_PRECISION -> 400;
            case INVALID_IMAGE -> f.imageProblem() == null ? 400 : imageStatus(f.imageProblem());
            case BUSY, CANCELLED, MODEL_UNAVAILABLE, STORE_FAILED -> 503;
            case INFERENCE_FAILED, SERVER_ERROR -> 500;
            // Refusals of the HTTP layer; the service itself does not raise them.
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN, CROSS_ORIGIN -> 403;
            case MISDIRECTED_REQUEST -> 421;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case INVALID_JSON, INVALID_PARAMETER, INVALID_MULTIPART, HREF_NOT_ALLOWED, HREF_FAILED -> 400;
            case REQUEST_TIMEOUT -> 408;
            case HEADERS_TOO_LARGE -> 431;
            case AUTH_UNAVAILABLE -> 503;
        };
        ProblemException e = new ProblemException(Problem.of(status, f.code().name(), f.getMessage())
                .withAuditId(f.auditId()));
        return f.retryAfterSeconds() == null ? e : e.withHeader("Retry-After", String.valueOf(f.retryAfterSeconds()));
    }

    /** A refused image: too big 413, not a supported type (or not the declared one) 415, otherwise 400. */
    static int imageStatus(ImageProblem problem) {
        return switch (problem) {
            case TOO_LARGE, TOO_MANY_PIXELS -> 413;
            case UNSUPPORTED_FORMAT, MEDIA_TYPE_MISMATCH -> 415;
            case MISSING, EMPTY, UNREADABLE, TOO_SMALL, TRUNCATED, CORRUPT -> 400;
        };
    }

    private static JsonNode single(ExecuteRequest r, String id) {
        List<InputValue> v = r.values(id);
        if (v.isEmpty()) {
            return null;
        }
        if (!(v.get(0) instanceof InputValue.Json j)) {
            throw ProblemException.of(400, "INVALID_PARAMETER", "input '" + id + "' must be given inline");
        }
        return j.value().isNull() ? null : j.value();
    }

    private static String text(ExecuteRequest r, String id) {
        JsonNode n = single(r, id);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw ProblemException.of(400, "INVALID_PURPOSE", "input '" + id + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static Integer integer(ExecuteRequest r, String id) {
        JsonNode n = single(r, id);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        // Strict JSON types, as the process description's schema says (integer): "5" is refused like "five".
        throw ProblemException.of(400, "INVALID_TOP_K", "topK must be a JSON integer from 1 to "
                + LocateOptions.MAX_TOP_K + " (a number, not a string), got " + n);
    }

    /** The {@code precision} input: auto, fp32, bf16, fp16 or int8 (any case), or null when not given. */
    private static PrecisionChoice precision(ExecuteRequest r) {
        JsonNode n = single(r, PRECISION);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw ProblemException.of(400, "INVALID_PRECISION", "precision must be a string (auto, fp32, bf16, fp16 or"
                    + " int8), got " + n);
        }
        try {
            return PrecisionChoice.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(400, "INVALID_PRECISION", e.getMessage());
        }
    }

    private static Boolean bool(ExecuteRequest r, String id) {
        JsonNode n = single(r, id);
        if (n == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        // Strict JSON types, as the schema says (boolean): "yes", "true" and 1 are refused, not guessed.
        throw ProblemException.of(400, "INVALID_PARAMETER", "input '" + id + "' must be the JSON boolean true or"
                + " false (not a string or number), got " + n);
    }

    private static ProcessSpec describe(ObjectMapper m, boolean storeDefault, int defaultTopK, ServedPrecisions p) {
        ObjectNode image = m.createObjectNode();
        ArrayNode oneOf = image.putArray("oneOf");
        for (String type : List.of("image/jpeg", "image/png", "image/webp")) {
            oneOf.addObject().put("type", "string").put("contentEncoding", "base64").put("contentMediaType", type);
        }
        ObjectNode purpose = m.createObjectNode().put("type", "string").put("minLength", 1)
                .put("maxLength", MAX_PURPOSE_CHARS);
        ObjectNode topK = m.createObjectNode().put("type", "integer").put("minimum", 1)
                .put("maximum", LocateOptions.MAX_TOP_K).put("default", defaultTopK);
        ObjectNode store = m.createObjectNode().put("type", "boolean").put("default", storeDefault);
        ObjectNode precision = m.createObjectNode().put("type", "string").put("default", "auto");
        ArrayNode values = precision.putArray("enum");
        for (PrecisionChoice c : PrecisionChoice.values()) {
            values.add(c.id());
        }
        ObjectNode cells = m.createObjectNode().put("type", "object").put("format", "geojson-feature-collection")
                .put("contentMediaType", JsonBodies.GEOJSON);
        ObjectNode location = m.createObjectNode().put("type", "object").put("format", "geojson-feature")
                .put("contentMediaType", JsonBodies.GEOJSON);
        return new ProcessSpec(ID, "1.0.0", "Geolocate a photo",
                "Predicts where a photo (or the four views of a street panorama, 90 degrees apart) was taken, the"
                        + " way PIGEON/PIGEOTTO does: geocell probabilities from a CLIP backbone and a linear head,"
                        + " refined to a point by retrieval. Every request is recorded in the audit log with its"
                        + " purpose; the image itself is never stored.",
                List.of("geolocation", "photo", "PIGEON", "geocells"),
                List.of(new InputSpec("image", "Photo", "One photo, or the four views of a panorama (north, east,"
                                + " south, west), as base64 JPEG, PNG or WebP (up to the server's image size limit"
                                + " in total).", 1, 4, image, true, "INVALID_IMAGE_COUNT"),
                        new InputSpec("purpose", "Purpose", "Why you need this location. Required; recorded in"
                                + " the audit log.", 1, 1, purpose, false, null),
                        new InputSpec("topK", "Cells", "How many of the most probable cells to return.", 0, 1, topK,
                                false, null),
                        new InputSpec("store", "Store", "Keep the prediction in PostGIS (the layers GeoServer and"
                                + " QGIS publish). An audit row is written either way.", 0, 1, store, false, null),
                        new InputSpec(PRECISION, "Precision", p.describe(), 0, 1, precision, false, null)),
                List.of(new OutputSpec(GeolocateOutputs.CELLS, "Ranked cells", "The topK most probable geocells as a"
                                + " GeoJSON FeatureCollection of (Multi)Polygons, rank 1 first, with their"
                                + " probability.", cells, JsonBodies.GEOJSON),
                        new OutputSpec(GeolocateOutputs.LOCATION, "Location", "The point estimate as a GeoJSON Feature"
                                + " with confidence, model, the precision the backbone ran in, the photo's own GPS"
                                + " position with its source in the file (gps_source: exif or xmp) and its distance"
                                + " when the file has one, and the audit and prediction ids.", location,
                                JsonBodies.GEOJSON)));
    }
}
