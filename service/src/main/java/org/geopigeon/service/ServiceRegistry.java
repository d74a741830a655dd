package org.geopigeon.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the services that requests share: one {@link AuditedGeolocation} per configuration (its inference slots,
 * pixel budget, audit trail) and one lazily loaded model per bundle folder, so many requests load a model once.
 * Keyed by configuration, so a changed setting takes effect with new instances. Thread-safe.
 *
 * <p>{@link #close()} closes everything it created (models' native memory, the audit trail's replay thread) and
 * forgets it; a later call creates fresh instances. Close it when no request runs any more.
 */
public final class ServiceRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);

    /** A bundle folder with model settings (precision, micro-batching); null settings: the process-wide ones. */
    private record ModelKey(Path bundle, ModelSettings settings) {
    }

    private final ConcurrentMap<ModelKey, ModelHolder> models = new ConcurrentHashMap<>();
    private final ConcurrentMap<GeoPigeonConfig, AuditedGeolocation> services = new ConcurrentHashMap<>();

    /** An empty registry; its owner closes it. */
    public ServiceRegistry() {
    }

    /**
     * A registry closed by a JVM shutdown hook, for owners that have no end of their own to close it at (GeoServer's
     * process beans, see {@link SharedServices}).
     */
    public static ServiceRegistry closedAtShutdown() {
        ServiceRegistry r = new ServiceRegistry();
        Runtime.getRuntime().addShutdownHook(new Thread(r::close, "geopigeon-services-shutdown"));
        return r;
    }

    /**
     * The shared service for a configuration.
     *
     * @throws IllegalStateException when the configuration names no database (the message says which setting)
     */
    public AuditedGeolocation geolocation(GeoPigeonConfig config) {
        Objects.requireNonNull(config, "config");
        config.dataSource(); // fail fast with the configuration message
        return services.computeIfAbsent(config, c -> new AuditedGeolocation(model(c.bundle(), c.model()), c.dataSource(),
                c.migrate(), c.limits(), c.auditSpoolDir()));
    }

    /** The shared, lazily loaded model of a bundle folder in the process-wide precision, without micro-batching. */
    public ModelHolder model(Path bundle) {
        return models.computeIfAbsent(new ModelKey(bundle.toAbsolutePath().normalize(), null),
                k -> new ModelHolder(k.bundle()));
    }

    /** The shared, lazily loaded model of a bundle folder with the given precision and micro-batching. */
    public ModelHolder model(Path bundle, ModelSettings settings) {
        return models.computeIfAbsent(new ModelKey(bundle.toAbsolutePath().normalize(), settings),
                k -> new ModelHolder(k.bundle(), k.settings()));
    }

    /** Closes every service and model created so far and forgets them; failures are logged, the rest still close. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(services.values());
        all.addAll(models.values());
        services.clear();
        models.clear();
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
