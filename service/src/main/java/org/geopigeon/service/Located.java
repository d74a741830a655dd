package org.geopigeon.service;

import java.util.List;
import org.geopigeon.engine.predict.Prediction;

/**
 * A prediction whose audit row (and, when stored, database rows) are committed.
 *
 * @param prediction   the engine's answer
 * @param predictionId {@code geopigeon.predictions.id}, or null when not stored
 * @param auditId      {@code geopigeon.audit_log.id}
 * @param imageSha256  SHA-256 of the decoded pixels of each view
 * @param topK         cells asked for
 */
public record Located(Prediction prediction, Long predictionId, long auditId, List<String> imageSha256, int topK) {

    public Located {
        imageSha256 = List.copyOf(imageSha256);
    }
}
