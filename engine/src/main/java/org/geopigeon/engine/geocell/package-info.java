/**
 * Geocells at run time: the classes of the geolocation head. {@link org.geopigeon.engine.geocell.GeocellSet} is the
 * ordered set of one model (element i is head class i), {@link org.geopigeon.engine.geocell.Geocell} one cell (polygon,
 * centroid = mean of its training points, admin names), {@link org.geopigeon.engine.geocell.GeocellGeoJson} the file
 * format ({@code geocells.geojson} of a bundle, docs/bundle-format.md), and
 * {@link org.geopigeon.engine.geocell.GeocellIndex} the label rule of PIGEON's code: the first cell whose polygon covers
 * a point, else the one with the nearest centroid.
 *
 * <p>Building geocells from photos and boundaries is {@code geocell.build}; this package is all inference,
 * training and evaluation need.
 */
package org.geopigeon.engine.geocell;
