package org.geopigeon.engine.geo;

/**
 * A geographic position in decimal degrees on WGS 84 (EPSG:4326 axis order is lat, lon;
 * GeoJSON and WKT use lon, lat — convert at the boundary, never inside the engine).
 */
public record LatLon(double lat, double lon) {

    public LatLon {
        if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
            throw new IllegalArgumentException("coordinate is not a finite number: lat=" + lat + ", lon=" + lon);
        }
        if (lat < -90 || lat > 90) {
            throw new IllegalArgumentException("latitude out of range [-90, 90]: " + lat);
        }
        if (lon < -180 || lon > 180) {
            throw new IllegalArgumentException("longitude out of range [-180, 180]: " + lon);
        }
    }

    /** True when both values are finite and inside the WGS 84 ranges. */
    public static boolean isValid(double lat, double lon) {
        return Double.isFinite(lat) && Double.isFinite(lon)
                && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    }
}
