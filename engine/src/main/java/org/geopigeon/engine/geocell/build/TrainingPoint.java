package org.geopigeon.engine.geocell.build;

/**
 * One located training sample.
 *
 * @param lat    latitude, degrees
 * @param lon    longitude, degrees
 * @param weight weight in the cell centroid (weighted mean); 1 when the input has none
 */
public record TrainingPoint(double lat, double lon, double weight) {

    public TrainingPoint {
        if (!org.geopigeon.engine.geo.LatLon.isValid(lat, lon)) {
            throw new IllegalArgumentException("invalid coordinate lat=" + lat + ", lon=" + lon);
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number > 0, got " + weight);
        }
    }
}
