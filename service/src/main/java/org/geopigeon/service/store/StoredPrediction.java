package org.geopigeon.service.store;

/**
 * Ids written by {@link PredictionStore#store}.
 *
 * @param predictionId {@code geopigeon.predictions.id}
 * @param auditId      {@code geopigeon.audit_log.id} of the accepted request
 */
public record StoredPrediction(long predictionId, long auditId) {
}
