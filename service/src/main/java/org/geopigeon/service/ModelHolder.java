package org.geopigeon.service;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;

/**
 * Loads a model bundle on first use, once, and shares it between threads. A failed load is not
 * remembered: the next request tries again (the operator may have fixed the folder).
 */
public final class ModelHolder implements Supplier<LoadedModel>, AutoCloseable {

    private final Path bundleDir;
    private volatile ModelBundle bundle;
    private volatile LoadedModel model;

    public ModelHolder(Path bundleDir) {
        this.bundleDir = Objects.requireNonNull(bundleDir, "bundleDir");
    }

    /**
     * @throws ModelUnavailableException when the bundle cannot be loaded; the message names the file and problem
     */
    @Override
    public LoadedModel get() {
        LoadedModel m = model;
        if (m != null) {
            return m;
        }
        synchronized (this) {
            if (model == null) {
                try {
                    ModelBundle b = ModelBundle.load(bundleDir);
                    model = LoadedModel.of(b);
                    bundle = b;
                } catch (BundleException e) {
                    throw new ModelUnavailableException("model bundle " + bundleDir + " cannot be loaded: "
                            + e.getMessage(), e);
                } catch (RuntimeException e) {
                    throw new ModelUnavailableException("model bundle " + bundleDir + " cannot be loaded: " + e, e);
                }
            }
            return model;
        }
    }

    public Path bundleDir() {
        return bundleDir;
    }

    @Override
    public synchronized void close() {
        if (bundle != null) {
            bundle.close();
            bundle = null;
            model = null;
        }
    }

    /** The model bundle could not be loaded. */
    public static final class ModelUnavailableException extends RuntimeException {
        public ModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
