/**
 * The map viewer at {@code /viewer/}: a Leaflet page ({@code ViewerRoutes}) that colours cells and points with the
 * Rules of the project's SLD 1.0 styles ({@code SldStyles}, {@code SldRule}: the attribute range each Rule's Filter
 * selects and its fill), so the viewer, GeoServer and MapServer draw the same classes.
 */
package org.geopigeon.app.serve.viewer;
