package org.geopigeon.engine.image;

import java.awt.image.BufferedImage;
import java.util.List;

import org.geopigeon.engine.geo.LatLon;

/**
 * A decoded photo ready for preprocessing.
 *
 * @param rgb           TYPE_INT_RGB pixels with the EXIF orientation already applied (upright as a viewer shows it)
 * @param width         width of {@code rgb}
 * @param height        height of {@code rgb}
 * @param format        "jpeg", "png" or "webp", detected from the magic bytes
 * @param exifGps       the file's GPS position, or null when absent, (0,0) or out of range. Despite the name (kept for
 *                      source compatibility) it may come from the XMP packet: {@link #gpsSource()} says which
 * @param exifAltitude  GPS altitude in metres (negative below sea level) of the same fix, or null
 * @param exifTimestamp EXIF DateTimeOriginal (else IFD0 DateTime) as written by the camera ("yyyy:MM:dd HH:mm:ss"),
 *                      or null
 * @param metadata      everything the decoder read besides pixels: orientation, GPS with its source, capture time with
 *                      offset, camera, software, ICC profile description, ignored metadata problems
 */
public record DecodedImage(BufferedImage rgb, int width, int height, String format,
                           LatLon exifGps, Double exifAltitude, String exifTimestamp, ImageMetadata metadata) {

    public DecodedImage {
        if (rgb == null || rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("rgb must be a TYPE_INT_RGB image");
        }
        if (rgb.getWidth() != width || rgb.getHeight() != height) {
            throw new IllegalArgumentException("width/height " + width + "x" + height
                    + " do not match the image " + rgb.getWidth() + "x" + rgb.getHeight());
        }
        if (metadata == null) {
            GpsFix fix = exifGps == null ? null : new GpsFix(exifGps, exifAltitude, null, GpsFix.Source.EXIF);
            metadata = new ImageMetadata(1, fix, null, CameraInfo.NONE, null, null, List.of());
        }
    }

    /** The form before {@link #metadata()} existed: GPS taken as EXIF, no other metadata. */
    public DecodedImage(BufferedImage rgb, int width, int height, String format,
                        LatLon exifGps, Double exifAltitude, String exifTimestamp) {
        this(rgb, width, height, format, exifGps, exifAltitude, exifTimestamp, null);
    }

    /** True when the file carried a GPS position (EXIF GPS IFD or XMP), so {@link #exifGps()} is not null. */
    public boolean hasExifGps() {
        return exifGps != null;
    }

    /** Where {@link #exifGps()} was read: {@code "exif"} or {@code "xmp"}; null when there is no position. */
    public String gpsSource() {
        return metadata.gps() == null ? null : metadata.gps().source().id();
    }

    /** The EXIF orientation (1..8) that was applied to the pixels. */
    public int orientation() {
        return metadata.orientation();
    }

    /** Metadata problems that were ignored; empty when none. */
    public List<String> warnings() {
        return metadata.warnings();
    }
}
