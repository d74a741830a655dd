package org.geopigeon.service;

import java.util.List;
import java.util.Objects;
import org.geopigeon.engine.predict.Prediction;

/**
 * A prediction whose audit row (and, when stored, database rows) are committed.
 *
 * @param prediction the engine's answer, with the photo's GPS position and the real decode time
 * @param result     the answer model every front end serialises (ids, pixel hashes, EXIF distance included)
 */
public record Located(Prediction prediction, GeolocationResult result) {

    public Located {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(result.estimate().auditId(), "an audited answer has an audit id");
    }

    /** {@code geopigeon.predictions.id}, or null when not stored. */
    public Long predictionId() {
        return result.estimate().predictionId();
    }

    /** {@code geopigeon.audit_log.id}. */
    public long auditId() {
        return result.estimate().auditId();
    }

    /** SHA-256 of the decoded pixels of each view. */
    public List<String> imageSha256() {
        return result.estimate().imageSha256();
    }

    /** Cells asked for. */
    public int topK() {
        return result.estimate().topK();
    }
}
