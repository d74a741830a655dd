package org.geopigeon.service;

import java.util.function.Supplier;
import org.geopigeon.engine.model.PrecisionChoice;

/**
 * Where {@link AuditedGeolocation} gets its model: {@link #get()} is the server's own; {@link #get(PrecisionChoice)}
 * one in the precision a request asked for. A plain {@code Supplier<LoadedModel>} serves its one model and
 * refuses any other precision; {@link ModelHolder} loads another precision of the same bundle on first use.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface ModelProvider extends Supplier<LoadedModel> {

    /**
     * The model to answer a request that asked for {@code requested}.
     *
     * @param requested null or {@link PrecisionChoice#AUTO}: the server's own model
     * @throws PrecisionUnavailableException when this provider cannot answer in that precision (the client's
     *                                       problem: the message names what it can do)
     * @throws RuntimeException              when the model cannot be loaded (the server's problem)
     */
    default LoadedModel get(PrecisionChoice requested) {
        LoadedModel m = get();
        if (requested == null || requested.fixed().isEmpty() || requested.fixed().get() == m.precision()) {
            return m;
        }
        throw new PrecisionUnavailableException("this server answers in " + (m.precision() == null ? "one precision"
                : m.precision().id()) + " only; ask for auto" + (m.precision() == null ? "" : " or " + m.precision().id())
                + ", not " + requested.id());
    }
}
