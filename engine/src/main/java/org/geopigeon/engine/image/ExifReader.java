package org.geopigeon.engine.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.lang.Rational;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import org.geopigeon.engine.geo.LatLon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads orientation, GPS and capture time with metadata-extractor. Broken metadata never rejects an image. */
final class ExifReader {

    private static final Logger LOG = LoggerFactory.getLogger(ExifReader.class);

    private ExifReader() {
    }

    static ExifInfo read(byte[] bytes, String source) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // Pixels may still be fine; the decoder decides about those.
            LOG.debug("no readable metadata in {}: {}", source, e.toString());
            return ExifInfo.NONE;
        }
        return new ExifInfo(orientation(metadata), gps(metadata), altitude(metadata), timestamp(metadata));
    }

    private static int orientation(Metadata metadata) {
        for (ExifIFD0Directory dir : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            Integer value = dir.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            if (value != null && value >= 1 && value <= 8) {
                return value;
            }
        }
        return 1;
    }

    private static LatLon gps(Metadata metadata) {
        for (GpsDirectory dir : metadata.getDirectoriesOfType(GpsDirectory.class)) {
            GeoLocation location;
            try {
                location = dir.getGeoLocation();
            } catch (RuntimeException e) {
                continue; // malformed rationals
            }
            // (0,0) is what many cameras write when they had no fix.
            if (location != null && !location.isZero()
                    && LatLon.isValid(location.getLatitude(), location.getLongitude())) {
                return new LatLon(location.getLatitude(), location.getLongitude());
            }
        }
        return null;
    }

    private static Double altitude(Metadata metadata) {
        for (GpsDirectory dir : metadata.getDirectoriesOfType(GpsDirectory.class)) {
            Rational value = dir.getRational(GpsDirectory.TAG_ALTITUDE);
            if (value == null || value.getDenominator() == 0) {
                continue;
            }
            double metres = value.doubleValue();
            Integer ref = dir.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
            if (ref != null && ref == 1 && metres != 0) {
                metres = -metres; // 1 = below sea level
            }
            if (Double.isFinite(metres)) {
                return metres;
            }
        }
        return null;
    }

    private static String timestamp(Metadata metadata) {
        for (ExifSubIFDDirectory dir : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            String value = dir.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        for (ExifIFD0Directory dir : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            String value = dir.getString(ExifIFD0Directory.TAG_DATETIME);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
