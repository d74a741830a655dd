package org.geopigeon.service;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link AuditedGeolocation} per configuration and one loaded model per bundle folder and model settings
 * (precision, micro-batching) for the whole JVM.
 *
 * <p>Why static: GeoServer (through GeoTools' AnnotatedBeanProcessFactory) creates a new process bean for
 * every request with a no-argument constructor, so the shared model, inference slots, the budget of decoded
 * pixels in flight and the schema-migrated flag must live outside the bean. Keyed by configuration so a changed setting takes effect.
 */
public final class SharedServices {

    private record ModelKey(Path bundle, ModelSettings settings) {
    }

    private static final ConcurrentMap<ModelKey, ModelHolder> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<GeoPigeonConfig, AuditedGeolocation> SERVICES = new ConcurrentHashMap<>();

    private SharedServices() {
    }

    /** @throws IllegalStateException when the configuration names no database */
    public static AuditedGeolocation geolocation(GeoPigeonConfig config) {
        config.dataSource(); // fail fast with the configuration message
        return SERVICES.computeIfAbsent(config, c -> new AuditedGeolocation(model(c.bundle(), c.model()),
                c.dataSource(), c.migrate(), c.limits(), c.auditSpoolDir()));
    }

    /** The shared, lazily loaded model of a bundle folder in the process-wide precision, without micro-batching. */
    public static ModelHolder model(Path bundle) {
        return MODELS.computeIfAbsent(new ModelKey(bundle.toAbsolutePath().normalize(), null),
                k -> new ModelHolder(k.bundle()));
    }

    /** The shared, lazily loaded model of a bundle folder with the given precision and micro-batching. */
    public static ModelHolder model(Path bundle, ModelSettings settings) {
        return MODELS.computeIfAbsent(new ModelKey(bundle.toAbsolutePath().normalize(), settings),
                k -> new ModelHolder(k.bundle(), k.settings()));
    }
}
