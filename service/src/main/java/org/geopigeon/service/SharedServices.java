package org.geopigeon.service;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link AuditedGeolocation} per configuration and one loaded model per bundle folder for the whole JVM.
 *
 * <p>Why static: GeoServer (through GeoTools' AnnotatedBeanProcessFactory) creates a new process bean for
 * every request with a no-argument constructor, so the shared model, inference slots, the budget of decoded
 * pixels in flight and the schema-migrated flag must live outside the bean. Keyed by configuration so a changed setting takes effect.
 */
public final class SharedServices {

    private static final ConcurrentMap<Path, ModelHolder> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<GeoPigeonConfig, AuditedGeolocation> SERVICES = new ConcurrentHashMap<>();

    private SharedServices() {
    }

    /** @throws IllegalStateException when the configuration names no database */
    public static AuditedGeolocation geolocation(GeoPigeonConfig config) {
        config.dataSource(); // fail fast with the configuration message
        return SERVICES.computeIfAbsent(config, c -> new AuditedGeolocation(model(c.bundle()), c.dataSource(),
                c.migrate(), c.limits(), c.auditSpoolDir()));
    }

    /** The shared, lazily loaded model of a bundle folder. */
    public static ModelHolder model(Path bundle) {
        return MODELS.computeIfAbsent(bundle.toAbsolutePath().normalize(), ModelHolder::new);
    }
}
