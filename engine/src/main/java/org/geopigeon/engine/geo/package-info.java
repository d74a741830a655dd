/**
 * Geodesy on the sphere, the units every other package speaks: {@link org.geopigeon.engine.geo.LatLon}
 * (decimal degrees on WGS 84, latitude first as EPSG:4326 orders its axes), great-circle distances in kilometres with
 * {@link org.geopigeon.engine.geo.Haversine} (R = 6371.0088 km, the IUGG mean radius; PIGEON's code uses the
 * equatorial 6378.137 km, kept as a constant for reproducing its numbers) and {@code PointMean}, PIGEON's geocell
 * centroid (the plain mean of training coordinates).
 *
 * <p>Used by geocells, label smoothing, refinement, evaluation and the service's EXIF distance; depends on nothing
 * else in GeoPigeon. Change the haversine radius here and only here.
 */
package org.geopigeon.engine.geo;
