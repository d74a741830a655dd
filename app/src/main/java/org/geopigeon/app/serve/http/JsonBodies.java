package org.geopigeon.app.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON mapper of the service and the helpers that write JSON answers. Values are records bound
 * with Jackson; GeoJSON comes from the engine's geometry writer as trees.
 */
public final class JsonBodies {

    public static final String JSON = "application/json";
    public static final String GEOJSON = "application/geo+json";

    private final ObjectMapper mapper;

    /**
     * @param maxStringBytes longest JSON string accepted when reading (base64 images are long strings;
     *                       Jackson's default cap is 20 MB)
     */
    public JsonBodies(long maxStringBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxStringBytes)).build())
                .build();
        this.mapper = new ObjectMapper(factory).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /**
     * The service's one Jackson mapper (with the string-length cap given at construction); shared, thread-safe,
     * not to be reconfigured.
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * {@code value} as UTF-8 JSON bytes.
     *
     * @throws java.io.UncheckedIOException when Jackson cannot write it (a programming error, answered as 500)
     */
    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write an answer as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as a JSON string; see {@link #bytes(Object)}. */
    public String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** Answers {@code value} as JSON with the given media type and status. */
    public void write(Context ctx, int status, String mediaType, Object value) {
        ctx.status(status).contentType(mediaType).result(bytes(value));
    }

    /** Answers a problem; the media type follows the request's {@code Accept} (see {@link Problem#mediaTypeFor}). */
    public void writeProblem(Context ctx, Problem problem) {
        write(ctx, problem.status(), Problem.mediaTypeFor(ctx.header("Accept")), problem);
    }
}
