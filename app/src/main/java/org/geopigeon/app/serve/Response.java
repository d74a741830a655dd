package org.geopigeon.app.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers: status, content type, body and extra headers. Kept apart from
 * {@link com.sun.net.httpserver.HttpExchange} so endpoints stay plain functions.
 */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";
    static final String GEOJSON = "application/geo+json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, JsonNode node) {
        return new Response(status, JSON, bytes(node), Map.of());
    }

    static Response geoJson(JsonNode node) {
        return new Response(200, GEOJSON, bytes(node), Map.of());
    }

    /** A GeoJSON answer written by Jackson from records ({@link PredictionGeoJson}). */
    static Response geoJson(Object records) {
        return new Response(200, GEOJSON, bytes(MAPPER.valueToTree(records)), Map.of());
    }

    /** The service's error body: {@code error} is the HTTP reason phrase, {@code code} the machine-readable cause. */
    static Response error(int status, String code, String message) {
        return error(status, code, message, null);
    }

    /** An error of a geolocation request, with the id of the audit row recording it (null when none was written). */
    static Response error(int status, String code, String message, Long auditId) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", reason(status));
        o.put("code", code);
        o.put("message", message);
        if (auditId != null) {
            o.put("audit_id", auditId);
        }
        return json(status, o);
    }

    Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain values always serialises
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
