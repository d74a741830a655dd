package org.geopigeon.engine.image;

import java.awt.image.BufferedImage;

import org.geopigeon.engine.geo.LatLon;

/**
 * A decoded photo ready for preprocessing.
 *
 * @param rgb           TYPE_INT_RGB pixels with the EXIF orientation already applied (upright as a viewer shows it)
 * @param width         width of {@code rgb}
 * @param height        height of {@code rgb}
 * @param format        "jpeg", "png" or "webp", detected from the magic bytes
 * @param exifGps       GPS position from EXIF, or null when absent, (0,0) or out of range
 * @param exifAltitude  GPS altitude in metres (negative below sea level), or null
 * @param exifTimestamp EXIF DateTimeOriginal as written by the camera ("yyyy:MM:dd HH:mm:ss"), or null
 */
public record DecodedImage(BufferedImage rgb, int width, int height, String format,
                           LatLon exifGps, Double exifAltitude, String exifTimestamp) {

    public DecodedImage {
        if (rgb == null || rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("rgb must be a TYPE_INT_RGB image");
        }
        if (rgb.getWidth() != width || rgb.getHeight() != height) {
            throw new IllegalArgumentException("width/height " + width + "x" + height
                    + " do not match the image " + rgb.getWidth() + "x" + rgb.getHeight());
        }
    }

    public boolean hasExifGps() {
        return exifGps != null;
    }
}
