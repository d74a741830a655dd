package org.geopigeon.engine.eval;

import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;

/**
 * The geocell oracle: the error a perfect classifier would still make with a geocell set, i.e. the
 * great-circle distance from each true location to the centroid of the cell that contains it
 * ({@link GeocellIndex#locate}: covering cell, else nearest centroid). It bounds what any model
 * predicting cell centroids can reach, and compares partitions independent of a model.
 */
public final class GeocellOracle {

    private GeocellOracle() {
    }

    /** Error in km per truth point, in input order. */
    public static double[] errorsKm(GeocellSet cells, List<LatLon> truth) {
        if (cells.size() == 0) {
            throw new IllegalArgumentException("geocell set '" + cells.name() + "' has no cells");
        }
        GeocellIndex index = new GeocellIndex(cells);
        double[] km = new double[truth.size()];
        for (int i = 0; i < km.length; i++) {
            LatLon p = truth.get(i);
            Geocell c = cells.get(index.locate(p));
            km[i] = Haversine.km(p, c.centroid());
        }
        return km;
    }

    /** The oracle errors summarised with {@link ErrorMetrics} (acc@1/25/200/750/2500 km, mean, median). */
    public static ErrorMetrics.Result evaluate(GeocellSet cells, List<LatLon> truth) {
        return ErrorMetrics.fromDistances(errorsKm(cells, truth));
    }
}
