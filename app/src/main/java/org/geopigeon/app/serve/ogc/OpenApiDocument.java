package org.geopigeon.app.serve.ogc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.0 description of this server ({@code service-desc} of the landing page, conformance class
 * oas30), kept as YAML in the jar ({@value #RESOURCE}) and served as JSON with the server's own URL. The tests
 * check every exchange of the API tests against it and compare its paths with the routes, so it describes
 * what the server does.
 */
public final class OpenApiDocument {

    static final String RESOURCE = "/org/geopigeon/app/serve/ogc/openapi.yaml";

    private final JsonNode document;
    private final ObjectMapper mapper;

    private OpenApiDocument(JsonNode document, ObjectMapper mapper) {
        this.document = document;
        this.mapper = mapper;
    }

    /** @throws IllegalStateException when the document is missing or not YAML */
    public static OpenApiDocument load(ObjectMapper mapper) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
            }
            return new OpenApiDocument(new YAMLMapper().readTree(in), mapper);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document cannot be read", e);
        }
    }

    /** The document as a tree (without servers). */
    public JsonNode tree() {
        return document;
    }

    /** The document as JSON bytes, its {@code servers} naming {@code baseUrl}. */
    public byte[] json(String baseUrl) {
        ObjectNode d = document.deepCopy();
        d.putArray("servers").addObject().put("url", baseUrl).put("description", "this server");
        try {
            return mapper.writeValueAsBytes(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
