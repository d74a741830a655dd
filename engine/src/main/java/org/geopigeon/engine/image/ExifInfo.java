package org.geopigeon.engine.image;

import org.geopigeon.engine.geo.LatLon;

/**
 * What the decoder takes from EXIF.
 *
 * @param orientation EXIF orientation 1..8 (1 when absent or invalid)
 * @param gps         position or null
 * @param altitude    metres, negative below sea level, or null
 * @param timestamp   DateTimeOriginal string or null
 */
record ExifInfo(int orientation, LatLon gps, Double altitude, String timestamp) {

    static final ExifInfo NONE = new ExifInfo(1, null, null, null);
}
