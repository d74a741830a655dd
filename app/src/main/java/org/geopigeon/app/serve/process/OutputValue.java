package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One output value: JSON (a GeoJSON object, a number, a string...) or binary data.
 *
 * @param mediaType media type when sent raw
 * @param json      the value as JSON, or null for binary data
 * @param binary    binary data, or null for JSON
 */
public record OutputValue(String mediaType, JsonNode json, byte[] binary) {

    public OutputValue {
        Objects.requireNonNull(mediaType, "mediaType");
        if ((json == null) == (binary == null)) {
            throw new IllegalArgumentException("an output value is either JSON or binary");
        }
    }

    /** An output whose value is a JSON tree (e.g. GeoJSON), sent in {@code mediaType}. */
    public static OutputValue json(String mediaType, JsonNode value) {
        return new OutputValue(mediaType, value, null);
    }

    /** An output of raw bytes in {@code mediaType}; {@code bytes} is not copied and must not change. */
    public static OutputValue binary(String mediaType, byte[] bytes) {
        return new OutputValue(mediaType, null, bytes);
    }
}
