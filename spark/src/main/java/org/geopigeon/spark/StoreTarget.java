package org.geopigeon.spark;

import java.io.Serializable;
import org.geopigeon.service.store.RegisteredModel;

/**
 * A model registered on the driver ({@code PredictionStore.register}), so executors can store
 * predictions under it; the service's {@link RegisteredModel} made serialisable.
 */
public record StoreTarget(int modelId, int geocellSetId, String name) implements Serializable {

    static StoreTarget of(RegisteredModel m) {
        return new StoreTarget(m.modelId(), m.geocellSetId(), m.name());
    }

    RegisteredModel registered() {
        return new RegisteredModel(modelId, geocellSetId, name);
    }
}
