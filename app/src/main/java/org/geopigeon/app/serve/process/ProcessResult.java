package org.geopigeon.app.serve.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a process returns.
 *
 * @param outputs      output id to value, in description order
 * @param auditId      the audit row of the geolocation, or null for processes that are not audited
 * @param predictionId the stored prediction, or null
 */
public record ProcessResult(Map<String, OutputValue> outputs, Long auditId, Long predictionId) {

    public ProcessResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
}
