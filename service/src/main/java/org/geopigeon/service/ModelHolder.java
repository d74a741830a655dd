package org.geopigeon.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.ComputeTarget;
import org.geopigeon.engine.model.MicroBatchingBackbone;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.model.PrecisionResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model bundle on first use, once, and shares it between threads, in the precision and with the
 * micro-batching of its {@link ModelSettings}. A failed load is not remembered: the next request tries again
 * (the operator may have fixed the folder).
 *
 * <p><b>Per-request precision.</b> A request may ask for another precision than the server's
 * ({@link #get(PrecisionChoice)}; the OGC API's {@code precision} input). When the settings allow it
 * ({@link ModelSettings#perRequest()}), the bundle has that variant and the hardware runs it, the bundle is loaded
 * a second time in that precision on the first such request and kept for all later ones: at most one model per
 * precision, so at most four (fp32, bf16, fp16, int8; in practice three on a CPU, as fp16 needs a GPU). Memory grows
 * by one backbone per precision used (a ViT-L/14: fp32 1.2 GB, bf16 0.6 GB, int8 0.3 GB); an operator who cannot
 * afford that sets {@code geopigeon.precisionPerRequest=false}, and such requests are refused. Otherwise the
 * request is refused ({@link PrecisionUnavailableException}) with the reason. Rationale: docs/service.md.
 *
 * <p><b>Micro-batching.</b> With {@link ModelSettings#microBatching()} each loaded backbone is wrapped in a
 * {@link MicroBatchingBackbone} so concurrent requests share forward passes; each request is still audited and
 * answered on its own.
 */
public final class ModelHolder implements ModelProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

    private final Path bundleDir;
    /** null: the precision comes from -Dgeopigeon.precision / $GEOPIGEON_PRECISION at load, the rest default. */
    private final ModelSettings settings;
    private final ModelBundle supplied;
    private volatile Instance primary;
    private final Map<Precision, Instance> others = new EnumMap<>(Precision.class);
    private volatile ComputeTarget target;
    private boolean closed;

    /**
     * A bundle folder in the process-wide precision ({@link PrecisionChoice#configured()}), no micro-batching.
     */
    public ModelHolder(Path bundleDir) {
        this(bundleDir, null, null);
    }

    /** A bundle folder loaded with {@code settings} on first use. */
    public ModelHolder(Path bundleDir, ModelSettings settings) {
        this(bundleDir, Objects.requireNonNull(settings, "settings"), null);
    }

    private ModelHolder(Path bundleDir, ModelSettings settings, ModelBundle supplied) {
        this.bundleDir = Objects.requireNonNull(bundleDir, "bundleDir").toAbsolutePath().normalize();
        this.settings = settings;
        this.supplied = supplied;
    }

    /**
     * Serves a bundle the caller already loaded (in the precision it chose) and keeps owning: close this holder
     * before the bundle. Other precisions, when requests ask for them and {@code settings} allow it, are loaded from
     * the bundle's folder; {@code settings.precision()} is not used.
     */
    public static ModelHolder serving(ModelBundle bundle, ModelSettings settings) {
        Objects.requireNonNull(bundle, "bundle");
        return new ModelHolder(bundle.directory(), Objects.requireNonNull(settings, "settings"), bundle);
    }

    /**
     * The server's own model.
     *
     * @throws ModelUnavailableException when the bundle cannot be loaded; the message names the file and problem
     */
    @Override
    public LoadedModel get() {
        Instance p = primary;
        if (p != null) {
            return p.model();
        }
        synchronized (this) {
            if (closed) {
                throw new ModelUnavailableException("the model of " + bundleDir + " was closed (the server is stopping)",
                        null);
            }
            if (primary == null) {
                primary = supplied != null ? Instance.open(supplied, false, settings())
                        : load(choice(), "");
            }
            return primary.model();
        }
    }

    /**
     * The model for a request that asked for {@code requested}: the server's own for null, auto or its own
     * precision; else that precision of the same bundle, loaded on first use and shared.
     *
     * @throws PrecisionUnavailableException when the settings allow no other precision, the bundle lacks the variant
     *                                       or this machine cannot run it
     * @throws ModelUnavailableException     when the bundle cannot be loaded
     */
    @Override
    public LoadedModel get(PrecisionChoice requested) {
        LoadedModel own = get();
        if (requested == null || requested.fixed().isEmpty() || requested.fixed().get() == own.precision()) {
            return own;
        }
        Precision p = requested.fixed().get();
        String ownId = own.precision() == null ? "its configured precision" : own.precision().id();
        if (!settings().perRequest()) {
            throw new PrecisionUnavailableException("this server answers in " + ownId + " only (its operator allows no"
                    + " other precision per request); ask for auto or " + ownId + ", not " + p.id());
        }
        try {
            PrecisionResolver.resolve(requested, target(), variants(own.manifest()));
        } catch (IllegalArgumentException e) {
            throw new PrecisionUnavailableException("precision " + p.id() + " is not available on this server: "
                    + e.getMessage() + "; this server answers in " + ownId);
        }
        synchronized (this) {
            if (closed) {
                throw new ModelUnavailableException("the model of " + bundleDir + " was closed (the server is stopping)",
                        null);
            }
            Instance i = others.get(p);
            if (i == null) {
                i = load(requested, " (asked for by a request)");
                others.put(p, i);
            }
            return i.model();
        }
    }

    private Instance load(PrecisionChoice choice, String why) {
        long t0 = System.nanoTime();
        ModelBundle b;
        try {
            b = ModelBundle.load(bundleDir, choice);
        } catch (BundleException e) {
            throw new ModelUnavailableException("model bundle " + bundleDir + " cannot be loaded: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelUnavailableException("model bundle " + bundleDir + " cannot be loaded: " + e, e);
        }
        try {
            Instance i = Instance.open(b, true, settings());
            LOG.info("loaded model '{}' from {} in {} ({}){}{} in {} ms", b.name(), bundleDir, b.backbone().precision(),
                    b.precisionReason(), why, settings().microBatching() ? ", micro-batches of up to "
                            + settings().microBatch() + " images within " + settings().microBatchWait().toMillis()
                            + " ms" : "", (System.nanoTime() - t0) / 1_000_000);
            return i;
        } catch (RuntimeException e) {
            b.close();
            throw new ModelUnavailableException("model bundle " + bundleDir + " cannot be served: " + e.getMessage(), e);
        }
    }

    private PrecisionChoice choice() {
        if (settings != null) {
            return settings.precision();
        }
        try {
            return PrecisionChoice.configured();
        } catch (IllegalArgumentException e) {
            throw new ModelUnavailableException("cannot choose the backbone precision: " + e.getMessage(), e);
        }
    }

    private ModelSettings settings() {
        return settings != null ? settings : ModelSettings.DEFAULT;
    }

    private ComputeTarget target() {
        ComputeTarget t = target;
        if (t == null) {
            try {
                t = ComputeTarget.detect();
            } catch (IOException e) {
                throw new ModelUnavailableException("cannot tell which precisions this machine runs: " + e.getMessage(),
                        e);
            }
            target = t;
        }
        return t;
    }

    /** The precisions the bundle has files for, fp32 included. */
    static Set<Precision> variants(BundleManifest m) {
        Set<Precision> have = EnumSet.of(Precision.FP32);
        if (m.backbone() != null && m.backbone().variants() != null) {
            for (String id : m.backbone().variants().keySet()) {
                have.add(Precision.parse(id));
            }
        }
        return have;
    }

    /**
     * The precisions a request can get: the server's own, and when {@link ModelSettings#perRequest()} allows it, every
     * precision the bundle has a variant for that this machine runs (loads the server's own model first).
     */
    public Set<Precision> precisions() {
        LoadedModel own = get();
        Set<Precision> out = EnumSet.noneOf(Precision.class);
        if (own.precision() != null) {
            out.add(own.precision());
        }
        if (settings().perRequest()) {
            Set<Precision> have = variants(own.manifest());
            for (Precision p : have) {
                try {
                    PrecisionResolver.resolve(PrecisionChoice.of(p), target(), have);
                    out.add(p);
                } catch (IllegalArgumentException e) {
                    // this machine cannot run it (fp16 on a CPU, int8 on a GPU)
                }
            }
        }
        return out;
    }

    /** The bundle folder models are loaded from. */
    public Path bundleDir() {
        return bundleDir;
    }

    /** The settings models are loaded with (the default ones when constructed from a folder alone). */
    public ModelSettings modelSettings() {
        return settings();
    }

    /**
     * Micro-batching counters of the server's own model (calls, forward passes, images), or null when micro-batching
     * is off or the model is not loaded yet.
     */
    public MicroBatchingBackbone.Stats microBatchStats() {
        Instance p = primary;
        return p == null || p.batcher() == null ? null : p.batcher().stats();
    }

    /** Closes the batchers and the bundles this holder loaded (not a bundle given to {@link #serving}). */
    @Override
    public synchronized void close() {
        closed = true;
        List<Instance> all = new ArrayList<>(others.values());
        others.clear();
        if (primary != null) {
            all.add(primary);
            primary = null;
        }
        for (Instance i : all) {
            i.close();
        }
    }

    /** One loaded precision of the bundle. */
    private record Instance(ModelBundle bundle, boolean ownsBundle, MicroBatchingBackbone batcher, LoadedModel model) {

        static Instance open(ModelBundle b, boolean owns, ModelSettings s) {
            MicroBatchingBackbone batcher = s.microBatching()
                    ? new MicroBatchingBackbone(b.backbone(), s.microBatch(), s.microBatchWait(), false) : null;
            Backbone backbone = batcher != null ? batcher : b.backbone();
            return new Instance(b, owns, batcher, LoadedModel.of(b, backbone));
        }

        void close() {
            if (batcher != null) {
                batcher.close(); // first: it may still be running a pass on the bundle's backbone
            }
            if (ownsBundle) {
                bundle.close();
            }
        }
    }

    /** The model bundle could not be loaded. */
    public static final class ModelUnavailableException extends RuntimeException {
        public ModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
