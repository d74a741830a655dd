package org.geopigeon.service;

import java.util.Objects;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.Geolocator;

/**
 * A model ready to serve.
 *
 * @param manifest   the bundle manifest (name, defaults, trained flag)
 * @param geocells   the model's geocells, registered in the database before the first stored prediction
 * @param source     where it was loaded from (bundle folder), for humans
 * @param geolocator the inference step
 */
public record LoadedModel(BundleManifest manifest, GeocellSet geocells, String source, ImageGeolocator geolocator) {

    public LoadedModel {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(geocells, "geocells");
        Objects.requireNonNull(geolocator, "geolocator");
    }

    /** Serves {@code bundle} with the engine's {@link Geolocator}; the bundle stays owned by the caller. */
    public static LoadedModel of(ModelBundle bundle) {
        Geolocator g = new Geolocator(bundle);
        return new LoadedModel(bundle.manifest(), bundle.geocells(), bundle.directory().toString(), g::locate);
    }

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
