/**
 * Pictures of evaluation results for people who would rather look than read: {@code ErrorCdfPlot} (PNG of the
 * cumulative error distribution on a log km axis with the 1 / 25 / 200 / 750 / 2500 km marks). Kept in the app, out of
 * the engine jar and the GeoServer zip; called by {@code geopigeon evaluate --plot}.
 */
package org.geopigeon.app.plot;
