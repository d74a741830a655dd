package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One input of a process, as its description publishes it (OGC 18-062r2 clause 7.10, {@code inputDescription}).
 *
 * @param id          input identifier
 * @param title       short title
 * @param description what it is for
 * @param minOccurs   fewest values (0 = optional)
 * @param maxOccurs   most values
 * @param schema      JSON schema of one value
 * @param binary      values are binary (base64 in JSON: {@code contentEncoding} base64)
 * @param countCode   problem code when the number of values is outside minOccurs..maxOccurs
 */
public record InputSpec(String id, String title, String description, int minOccurs, int maxOccurs, JsonNode schema,
                        boolean binary, String countCode) {

    public InputSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schema, "schema");
        if (minOccurs < 0 || maxOccurs < Math.max(1, minOccurs)) {
            throw new IllegalArgumentException("input " + id + ": occurs " + minOccurs + ".." + maxOccurs);
        }
    }

    /** The JSON type of one value ({@code schema.type}), or null when the schema does not fix one. */
    public String type() {
        JsonNode t = schema.get("type");
        return t == null || !t.isTextual() ? null : t.asText();
    }
}
