package org.geopigeon.service.store;

/**
 * Ids written by {@link PredictionStore#store}.
 *
 * @param predictionId {@code geopigeon.predictions.id}
 * @param auditId      {@code geopigeon.audit_log.id} of the accepted request
 * @param created      {@code geopigeon.predictions.created} (the storing transaction's time), or null when not known
 */
public record StoredPrediction(long predictionId, long auditId, java.time.OffsetDateTime created) {

    public StoredPrediction(long predictionId, long auditId) {
        this(predictionId, auditId, null);
    }
}
