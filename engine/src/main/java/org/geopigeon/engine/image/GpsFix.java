package org.geopigeon.engine.image;

import java.util.Locale;
import java.util.Objects;

import org.geopigeon.engine.geo.LatLon;

/**
 * The position a photo file carries, and where in the file it was found.
 *
 * @param position WGS 84 latitude/longitude in degrees; never (0, 0), which cameras write when they had no fix
 * @param altitude metres above sea level (negative below), or null
 * @param time     the GPS clock's UTC time as ISO 8601 ({@code 2023-07-14T16:05:09Z}), or null
 * @param source   the EXIF GPS block, or the XMP packet when the file has no usable EXIF position
 */
public record GpsFix(LatLon position, Double altitude, String time, Source source) {

    /** Where a position was read; see docs/image-input.md for the order. */
    public enum Source {
        /** The EXIF GPS IFD (JPEG APP1, PNG eXIf or "Raw profile type exif" text chunk, WebP EXIF chunk). */
        EXIF,
        /** {@code exif:GPSLatitude}/{@code exif:GPSLongitude} of the XMP packet (JPEG APP1, PNG iTXt, WebP XMP). */
        XMP;

        /** Lower-case name as written in JSON and the audit log: {@code exif} or {@code xmp}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GpsFix {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(source, "source");
    }
}
