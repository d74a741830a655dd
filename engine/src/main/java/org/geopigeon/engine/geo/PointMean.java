package org.geopigeon.engine.geo;

/**
 * Weighted mean position of points, PIGEON's geocell centroid: the arithmetic mean of latitudes and
 * longitudes — except that points spread over more than 180 degrees of longitude are averaged with
 * the western ones shifted by +360, so a group straddling the antimeridian (Fiji, Chukotka, the
 * Aleutians) gets a centroid among its points, not on the far side of the Earth.
 */
public final class PointMean {

    private PointMean() {
    }

    /** @param weights null for equal weights */
    public static LatLon of(double[] lats, double[] lons, double[] weights) {
        int n = lats.length;
        if (n == 0 || lons.length != n || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException("need the same, non-zero number of latitudes, longitudes and weights");
        }
        double minLon = Double.POSITIVE_INFINITY;
        double maxLon = Double.NEGATIVE_INFINITY;
        for (double lon : lons) {
            minLon = Math.min(minLon, lon);
            maxLon = Math.max(maxLon, lon);
        }
        boolean wrap = maxLon - minLon > 180;
        double sw = 0;
        double slat = 0;
        double slon = 0;
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1 : weights[i];
            sw += w;
            slat += w * lats[i];
            slon += w * (wrap && lons[i] < 0 ? lons[i] + 360 : lons[i]);
        }
        double lon = slon / sw;
        if (lon > 180) {
            lon -= 360;
        }
        // Clamping only absorbs rounding: a mean of in-range values is in range.
        return new LatLon(Math.max(-90, Math.min(90, slat / sw)), Math.max(-180, Math.min(180, lon)));
    }
}
