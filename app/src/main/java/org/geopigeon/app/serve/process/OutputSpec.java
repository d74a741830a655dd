package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One output of a process (OGC 18-062r2 clause 7.10, {@code outputDescription}).
 *
 * @param id          output identifier
 * @param title       short title
 * @param description what it holds
 * @param schema      JSON schema of the value
 * @param mediaType   media type of the value when sent raw (e.g. {@code application/geo+json})
 */
public record OutputSpec(String id, String title, String description, JsonNode schema, String mediaType) {

    public OutputSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
