package org.geopigeon.app.serve.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed execute request.
 *
 * @param inputs   input id to its values, in request order
 * @param outputs  requested outputs (empty: all outputs)
 * @param response response mode
 */
public record ExecuteRequest(Map<String, List<InputValue>> inputs, Map<String, OutputRequest> outputs,
                             ResponseMode response) {

    public ExecuteRequest {
        Map<String, List<InputValue>> in = new LinkedHashMap<>();
        inputs.forEach((k, v) -> in.put(k, List.copyOf(v)));
        inputs = Collections.unmodifiableMap(in);
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** The values given for input {@code inputId}, in request order; empty when the request has none. */
    public List<InputValue> values(String inputId) {
        return inputs.getOrDefault(inputId, List.of());
    }

    /** The same request with other input values (after references were fetched). */
    public ExecuteRequest withInputs(Map<String, List<InputValue>> resolved) {
        return new ExecuteRequest(resolved, outputs, response);
    }
}
