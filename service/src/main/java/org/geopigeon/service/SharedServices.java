package org.geopigeon.service;

import java.nio.file.Path;

/**
 * The JVM-wide {@link ServiceRegistry} of GeoServer's WPS process: one {@link AuditedGeolocation} per
 * configuration and one loaded model per bundle folder and model settings (precision, micro-batching).
 *
 * <p>Why a static: GeoServer (through GeoTools' {@code AnnotatedBeanProcessFactory}) creates a new process bean for
 * every request with a no-argument constructor, and GeoTools' {@code ProcessFactory} has no dispose callback, so the
 * shared model, inference slots, budget of decoded pixels in flight and schema-migrated flag must live outside the
 * bean, in something reachable from it. That something is this class's one {@code static final} field: a registry
 * created once per class loader, owned by this class, and closed by {@link #closeAll()} (tests, a container that
 * embeds the process) or else by a JVM shutdown hook. Front ends that own their lifetime (the standalone service,
 * the CLI, Spark executors) make their own instances instead. The public methods are unchanged since issue 8.
 */
public final class SharedServices {

    private static final ServiceRegistry REGISTRY = ServiceRegistry.closedAtShutdown();

    private SharedServices() {
    }

    /** @throws IllegalStateException when the configuration names no database */
    public static AuditedGeolocation geolocation(GeoPigeonConfig config) {
        return REGISTRY.geolocation(config);
    }

    /** The shared, lazily loaded model of a bundle folder in the process-wide precision, without micro-batching. */
    public static ModelHolder model(Path bundle) {
        return REGISTRY.model(bundle);
    }

    /** The shared, lazily loaded model of a bundle folder with the given precision and micro-batching. */
    public static ModelHolder model(Path bundle, ModelSettings settings) {
        return REGISTRY.model(bundle, settings);
    }

    /**
     * Closes every shared service and model (native memory, background threads); the next request creates fresh
     * ones. Call it when no request runs.
     */
    public static void closeAll() {
        REGISTRY.close();
    }
}
