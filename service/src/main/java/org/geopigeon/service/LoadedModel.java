package org.geopigeon.service;

import java.util.Objects;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.predict.Geolocator;

/**
 * A model ready to serve.
 *
 * @param manifest        the bundle manifest (name, defaults, trained flag)
 * @param geocells        the model's geocells, registered in the database before the first stored prediction
 * @param source          where it was loaded from (bundle folder), for humans
 * @param geolocator      the inference step
 * @param precision       the arithmetic its backbone runs in (recorded in audit parameters and stored predictions),
 *                        or null when not known
 * @param precisionReason why that precision ({@link ModelBundle#precisionReason()}), for logs; null when not known
 */
public record LoadedModel(BundleManifest manifest, GeocellSet geocells, String source, ImageGeolocator geolocator,
                          Precision precision, String precisionReason) {

    public LoadedModel {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(geocells, "geocells");
        Objects.requireNonNull(geolocator, "geolocator");
    }

    /** A model whose precision is not known (the form before precisions were recorded). */
    public LoadedModel(BundleManifest manifest, GeocellSet geocells, String source, ImageGeolocator geolocator) {
        this(manifest, geocells, source, geolocator, null, null);
    }

    /** Serves {@code bundle} with the engine's {@link Geolocator}; the bundle stays owned by the caller. */
    public static LoadedModel of(ModelBundle bundle) {
        return of(bundle, bundle.backbone());
    }

    /**
     * Serves {@code bundle} with its backbone replaced by {@code backbone} (e.g. a
     * {@link org.geopigeon.engine.model.MicroBatchingBackbone} around the bundle's own); both stay owned by the caller.
     */
    public static LoadedModel of(ModelBundle bundle, Backbone backbone) {
        Geolocator g = backbone == bundle.backbone() ? new Geolocator(bundle)
                : new Geolocator(bundle.manifest(), backbone, bundle.head(), bundle.geocells(),
                        bundle.refinement().orElse(null));
        return new LoadedModel(bundle.manifest(), bundle.geocells(), bundle.directory().toString(), g::locate,
                backbone.precision(), bundle.precisionReason());
    }

    /** The model name of the bundle's manifest, stored with every prediction and audit row. */
    public String name() {
        return manifest.name();
    }

    /** False for demo weights: the answers then carry no information. */
    public boolean trained() {
        return manifest.trained();
    }

    /** topK used when the request does not say. */
    public int defaultTopK() {
        return manifest.defaults() == null ? 5 : manifest.defaults().topK();
    }
}
