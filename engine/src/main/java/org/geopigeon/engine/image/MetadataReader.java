package org.geopigeon.engine.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.XMPUtils;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.ByteArrayReader;
import com.drew.lang.GeoLocation;
import com.drew.lang.KeyValuePair;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.file.FileTypeDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import org.geopigeon.engine.geo.LatLon;

/**
 * Reads a file's metadata with metadata-extractor (EXIF, XMP via xmpcore, ICC, PNG chunks) and applies the
 * decoder's rules (written down in docs/image-input.md). Broken metadata never rejects an image: each problem
 * becomes a warning.
 *
 * <ul>
 *   <li>EXIF is the first EXIF block of the file (JPEG APP1 "Exif", PNG eXIf, WebP EXIF). A PNG without eXIf takes
 *       its EXIF from a hex "Raw profile type exif" tEXt/zTXt/iTXt chunk, as ImageMagick and exiftool write it and
 *       as Pillow reads it ({@code Image.getexif}: lines 4.. of the text, hex-decoded, "Exif\0\0" prefix optional).</li>
 *   <li>Orientation: EXIF 0x0112 of that block; a PNG whose EXIF has no orientation tag takes XMP
 *       {@code tiff:Orientation}, as Pillow 9.4 does. Values outside 1..8 mean 1.</li>
 *   <li>Position: the EXIF GPS block when it gives a valid, non-(0,0) position; otherwise the XMP packet's
 *       {@code exif:GPSLatitude}/{@code exif:GPSLongitude} ({@link XmpGpsCoordinate}).</li>
 * </ul>
 */
final class MetadataReader {

    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern HEX_WHITESPACE = Pattern.compile("\\s+");
    private static final String RAW_PROFILE_EXIF = "Raw profile type exif";
    private static final DateTimeFormatter EXIF_DATE = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss", Locale.ROOT);
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:\\d{2}");

    private MetadataReader() {
    }

    /**
     * @param bytes      the whole file
     * @param format     its format (from the magic bytes)
     * @param iccProblem why the container's ICC profile is unusable (found by the JPEG segment scan), or null; the
     *                   profile's description is then not reported
     */
    static Result read(byte[] bytes, ImageFormat format, String iccProblem) {
        List<String> warnings = new ArrayList<>();
        if (iccProblem != null) {
            warnings.add(iccProblem);
        }
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // The pixel decoder decides about the file; the metadata is just not there.
            warnings.add("ignored unreadable metadata (" + message(e) + ")");
            return new Result(ImageMetadata.NONE.withWarnings(warnings), null);
        }
        if (format == ImageFormat.PNG && metadata.getFirstDirectoryOfType(ExifIFD0Directory.class) == null) {
            readRawProfileExif(metadata, warnings);
        }
        List<XMPMeta> xmp = xmpPackets(metadata);
        int orientation = orientation(metadata, format, xmp);
        GpsFix gps = exifGps(metadata);
        if (gps == null) {
            gps = xmpGps(xmp, warnings);
        }
        String icc = iccProblem == null ? iccDescription(metadata) : null;
        for (Directory dir : metadata.getDirectories()) {
            if (dir instanceof FileTypeDirectory || iccProblem != null && dir instanceof IccDirectory) {
                continue; // the segment scan already said what is wrong with the profile, in one sentence
            }
            for (String error : dir.getErrors()) {
                String w = "ignored a problem in the " + dir.getName() + " metadata: " + error;
                if (!warnings.contains(w)) {
                    warnings.add(w);
                }
            }
        }
        CameraInfo camera = new CameraInfo(
                firstString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_MAKE, xmp, XMPConst.NS_TIFF, "Make"),
                firstString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_MODEL, xmp, XMPConst.NS_TIFF, "Model"),
                firstString(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_LENS_MODEL,
                        xmp, XMPConst.NS_EXIF_AUX, "Lens"));
        String software = firstString(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_SOFTWARE,
                xmp, XMPConst.NS_XMP, "CreatorTool");
        return new Result(new ImageMetadata(orientation, gps, captured(metadata, xmp), camera, software, icc, warnings),
                exifTimestamp(metadata));
    }

    /**
     * @param metadata      what the decoder reports
     * @param exifTimestamp EXIF DateTimeOriginal (else IFD0 DateTime) as the camera wrote it, for
     *                      {@link DecodedImage#exifTimestamp()}
     */
    record Result(ImageMetadata metadata, String exifTimestamp) {
    }

    private static String exifTimestamp(Metadata metadata) {
        String original = tag(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_DATETIME_ORIGINAL);
        return original != null ? original : tag(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_DATETIME);
    }

    /** Pillow's Image.getexif fallback for PNG: hex EXIF in a "Raw profile type exif" text chunk. */
    private static void readRawProfileExif(Metadata metadata, List<String> warnings) {
        for (PngDirectory png : metadata.getDirectoriesOfType(PngDirectory.class)) {
            Object text = png.getObject(PngDirectory.TAG_TEXTUAL_DATA);
            if (!(text instanceof List<?> pairs)) {
                continue;
            }
            for (Object o : pairs) {
                if (o instanceof KeyValuePair pair && RAW_PROFILE_EXIF.equals(pair.getKey())) {
                    String value = pair.getValue().toString(StandardCharsets.ISO_8859_1);
                    try {
                        byte[] exif = rawProfileBytes(value);
                        new ExifReader().extract(new ByteArrayReader(exif), metadata, 0);
                    } catch (RuntimeException e) {
                        warnings.add("ignored an unreadable PNG \"" + RAW_PROFILE_EXIF + "\" text chunk ("
                                + message(e) + ")");
                    }
                    return; // one EXIF block, as Pillow reads one
                }
            }
        }
    }

    /** Lines 4.. of the chunk text (after "", type, length), hex-decoded, without an "Exif\0\0" prefix. */
    static byte[] rawProfileBytes(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4) {
            throw new IllegalArgumentException("it has no hex data");
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i < lines.length; i++) {
            hex.append(HEX_WHITESPACE.matcher(lines[i]).replaceAll(""));
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("its hex data has an odd number of digits");
        }
        byte[] data = HEX.parseHex(hex);
        if (data.length >= 6 && data[0] == 'E' && data[1] == 'x' && data[2] == 'i' && data[3] == 'f'
                && data[4] == 0 && data[5] == 0) {
            data = java.util.Arrays.copyOfRange(data, 6, data.length);
        }
        if (data.length < 8) {
            throw new IllegalArgumentException("it holds no TIFF structure");
        }
        return data;
    }

    private static List<XMPMeta> xmpPackets(Metadata metadata) {
        List<XMPMeta> packets = new ArrayList<>();
        for (XmpDirectory dir : metadata.getDirectoriesOfType(XmpDirectory.class)) {
            if (dir.getXMPMeta() != null) {
                packets.add(dir.getXMPMeta());
            }
        }
        return packets;
    }

    private static int orientation(Metadata metadata, ImageFormat format, List<XMPMeta> xmp) {
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (ifd0 != null && ifd0.containsTag(ExifDirectoryBase.TAG_ORIENTATION)) {
            return valid(ifd0.getInteger(ExifDirectoryBase.TAG_ORIENTATION));
        }
        if (format == ImageFormat.PNG) {
            // Pillow 9.4 Image.getexif: "XMP tags ... if 0x0112 not in self._exif", for PNG's XML:com.adobe.xmp only
            for (XMPMeta packet : xmp) {
                String value = xmpString(packet, XMPConst.NS_TIFF, "Orientation");
                if (value != null && !value.isEmpty() && Character.isDigit(value.charAt(0))) {
                    return valid(value.charAt(0) - '0');
                }
            }
        }
        return 1;
    }

    private static int valid(Integer orientation) {
        return orientation != null && orientation >= 1 && orientation <= 8 ? orientation : 1;
    }

    private static GpsFix exifGps(Metadata metadata) {
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
                Date when = null;
                try {
                    when = dir.getGpsDate();
                } catch (RuntimeException e) {
                    // an unreadable GPS clock leaves the position usable
                }
                return new GpsFix(new LatLon(location.getLatitude(), location.getLongitude()), exifAltitude(dir),
                        when == null ? null : when.toInstant().toString(), GpsFix.Source.EXIF);
            }
        }
        return null;
    }

    private static Double exifAltitude(GpsDirectory dir) {
        Rational value = dir.getRational(GpsDirectory.TAG_ALTITUDE);
        if (value == null || value.getDenominator() == 0) {
            return null;
        }
        double metres = value.doubleValue();
        Integer ref = dir.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
        if (ref != null && ref == 1 && metres != 0) {
            metres = -metres; // 1 = below sea level
        }
        return Double.isFinite(metres) ? metres : null;
    }

    private static GpsFix xmpGps(List<XMPMeta> xmp, List<String> warnings) {
        for (XMPMeta packet : xmp) {
            String lat = xmpString(packet, XMPConst.NS_EXIF, "GPSLatitude");
            String lon = xmpString(packet, XMPConst.NS_EXIF, "GPSLongitude");
            if (lat == null || lon == null) {
                continue;
            }
            double latitude;
            double longitude;
            try {
                latitude = XmpGpsCoordinate.parse(lat, xmpString(packet, XMPConst.NS_EXIF, "GPSLatitudeRef"), true);
                longitude = XmpGpsCoordinate.parse(lon, xmpString(packet, XMPConst.NS_EXIF, "GPSLongitudeRef"), false);
            } catch (IllegalArgumentException e) {
                warnings.add("ignored an unreadable XMP GPS position: " + e.getMessage());
                continue;
            }
            if (latitude == 0 && longitude == 0 || !LatLon.isValid(latitude, longitude)) {
                continue;
            }
            Double altitude = null;
            try {
                altitude = XmpGpsCoordinate.rational(xmpString(packet, XMPConst.NS_EXIF, "GPSAltitude"));
                if (altitude != null && "1".equals(xmpString(packet, XMPConst.NS_EXIF, "GPSAltitudeRef"))) {
                    altitude = -altitude;
                }
            } catch (IllegalArgumentException e) {
                warnings.add("ignored an unreadable XMP GPS altitude: " + e.getMessage());
            }
            return new GpsFix(new LatLon(latitude, longitude), altitude, xmpUtcTime(packet), GpsFix.Source.XMP);
        }
        return null;
    }

    /** exif:GPSTimeStamp is an XMP Date (ISO 8601); reported in UTC when it has a zone, else as written. */
    private static String xmpUtcTime(XMPMeta packet) {
        String text = xmpString(packet, XMPConst.NS_EXIF, "GPSTimeStamp");
        if (text == null) {
            return null;
        }
        try {
            var date = XMPUtils.convertToDate(text);
            if (!date.hasTime()) {
                return text;
            }
            if (date.hasTimeZone()) {
                Calendar c = date.getCalendar();
                return c.toInstant().toString();
            }
            return text;
        } catch (XMPException e) {
            return text;
        }
    }

    private static String iccDescription(Metadata metadata) {
        IccDirectory icc = metadata.getFirstDirectoryOfType(IccDirectory.class);
        if (icc == null) {
            return null;
        }
        String description = icc.getDescription(IccDirectory.TAG_TAG_desc);
        return description == null || description.isBlank() ? null : description.trim();
    }

    /**
     * DateTimeOriginal of the EXIF block with OffsetTimeOriginal (EXIF 2.31, tag 0x9011), as ISO 8601; else the XMP
     * exif:DateTimeOriginal as written.
     */
    private static String captured(Metadata metadata, List<XMPMeta> xmp) {
        String original = tag(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_DATETIME_ORIGINAL);
        if (original != null) {
            String offset = tag(metadata, ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL);
            try {
                String iso = LocalDateTime.parse(original, EXIF_DATE).toString();
                if (iso.length() == 16) {
                    iso += ":00"; // LocalDateTime drops ":00" seconds
                }
                if (offset != null && OFFSET.matcher(offset).matches()) {
                    ZoneOffset.of(offset); // validates the range
                    return iso + offset;
                }
                return iso;
            } catch (java.time.DateTimeException e) {
                return original; // as written, e.g. "0000:00:00 00:00:00"
            }
        }
        for (XMPMeta packet : xmp) {
            String value = xmpString(packet, XMPConst.NS_EXIF, "DateTimeOriginal");
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String firstString(Metadata metadata, Class<? extends Directory> type, int tag,
                                      List<XMPMeta> xmp, String namespace, String property) {
        String value = tag(metadata, type, tag);
        if (value != null) {
            return value;
        }
        for (XMPMeta packet : xmp) {
            value = xmpString(packet, namespace, property);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String tag(Metadata metadata, Class<? extends Directory> type, int tag) {
        Directory dir = metadata.getFirstDirectoryOfType(type);
        if (dir == null) {
            return null;
        }
        String value = dir.getString(tag);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String xmpString(XMPMeta packet, String namespace, String property) {
        try {
            XMPProperty p = packet.getProperty(namespace, property);
            if (p == null || p.getValue() == null) {
                return null;
            }
            String value = p.getValue().trim();
            return value.isEmpty() ? null : value;
        } catch (XMPException | RuntimeException e) {
            return null;
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? "no details" : e.getMessage();
    }
}
