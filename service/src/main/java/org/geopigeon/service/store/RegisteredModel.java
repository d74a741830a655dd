package org.geopigeon.service.store;

/**
 * A model row and its geocell set, as registered by {@link PredictionStore#register}.
 *
 * @param modelId       {@code geopigeon.models.id}
 * @param geocellSetId  {@code geopigeon.geocell_sets.id}
 * @param name          model name (unique)
 */
public record RegisteredModel(int modelId, int geocellSetId, String name) {
}
