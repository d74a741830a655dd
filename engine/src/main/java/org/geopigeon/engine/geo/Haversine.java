package org.geopigeon.engine.geo;

/**
 * Great-circle distance on a sphere.
 *
 * <p>Radius: the IUGG mean Earth radius, 6371.0088 km, the convention of the geolocation
 * benchmarks (IM2GPS, YFCC, GeoCLIP). PIGEON's code uses the equatorial 6378.137 km, which gives
 * distances 0.11% longer; {@link #PIGEON_EARTH_RADIUS_KM} is here for reproducing its numbers.
 */
public final class Haversine {

    public static final double EARTH_RADIUS_KM = 6371.0088;
    public static final double PIGEON_EARTH_RADIUS_KM = 6378.137;

    private Haversine() {
    }

    /**
     * Great-circle distance in km between two positions on the sphere of radius {@link #EARTH_RADIUS_KM}.
     *
     * @return distance in km, in [0, pi R] (about 20,015 km)
     */
    public static double km(LatLon a, LatLon b) {
        return km(a.lat(), a.lon(), b.lat(), b.lon());
    }

    /**
     * Great-circle distance in km by the haversine formula (Sinnott 1984), numerically stable for small distances.
     *
     * @param lat1 latitude of the first point in degrees
     * @param lon1 longitude of the first point in degrees (any range; only differences matter)
     * @param lat2 latitude of the second point in degrees
     * @param lon2 longitude of the second point in degrees
     * @return distance in km on the sphere of radius {@link #EARTH_RADIUS_KM}
     */
    public static double km(double lat1, double lon1, double lat2, double lon2) {
        return centralAngle(lat1, lon1, lat2, lon2) * EARTH_RADIUS_KM;
    }

    /** Central angle in radians between two points given in degrees. */
    public static double centralAngle(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double s = Math.sin(dp / 2);
        double t = Math.sin(dl / 2);
        double h = s * s + Math.cos(p1) * Math.cos(p2) * t * t;
        return 2 * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
