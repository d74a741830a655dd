package org.geopigeon.service.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;

/** The shipped demo bundle's manifest and geocells, and predictions over them, for persistence tests. */
public final class DemoData {

    private DemoData() {
    }

    public static Path bundle() {
        return BundleLocator.resolve(null);
    }

    public static GeocellSet geocells() {
        try {
            return GeocellGeoJson.read(bundle().resolve("geocells.geojson"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BundleManifest manifest() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(bundle().resolve("manifest.json").toFile(), BundleManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A prediction over cells {@code first, first+1, ...} with decreasing probabilities. */
    public static Prediction prediction(GeocellSet cells, String model, int first, int k, LatLon exif) {
        List<CellProbability> top = new ArrayList<>();
        double p = 0.5;
        for (int r = 0; r < k; r++) {
            top.add(new CellProbability(r + 1, cells.get((first + r) % cells.size()), p));
            p /= 2;
        }
        LatLon centroid = top.get(0).cell().centroid();
        return new Prediction(centroid, false, 0.42, top, centroid, exif, new StageTimings(0, 1, 2, 3, 4), model);
    }
}
