package org.geopigeon.engine.image;

import java.util.Locale;

/**
 * Parses an XMP {@code GPSCoordinate} value into signed decimal degrees.
 *
 * <p>XMP Specification Part 2 (2010), 1.2.7.4 "GPSCoordinate": a text value {@code "DDD,MM,SSk"} or
 * {@code "DDD,MM.mmk"}, where k is N, S, E or W. Writers in the wild also use plain decimal degrees, with the letter
 * ({@code "43.0764N"}), signed ({@code "-22.95"}), or unsigned with a separate {@code exif:GPSLatitudeRef} /
 * {@code exif:GPSLongitudeRef} property; numbers may be rationals ({@code "43/1"}). All of these are accepted. A
 * letter in the value wins over the separate reference; S and W make the value negative.
 *
 * <p>No XMP library parses this type (xmpcore reads it as text), hence this class.
 */
final class XmpGpsCoordinate {

    private XmpGpsCoordinate() {
    }

    /**
     * @param value    the property text, e.g. {@code "43,4.5840N"}
     * @param ref      the separate reference property ({@code "N"}, {@code "S"}, {@code "E"}, {@code "W"}), or null
     * @param latitude true for a latitude (|value| &le; 90, letters N/S), false for a longitude (&le; 180, E/W)
     * @return signed degrees
     * @throws IllegalArgumentException naming what is wrong when the value is not a coordinate
     */
    static double parse(String value, String ref, boolean latitude) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String text = value.trim();
        char last = Character.toUpperCase(text.charAt(text.length() - 1));
        Character hemisphere = null;
        if (Character.isLetter(last)) {
            hemisphere = last;
            text = text.substring(0, text.length() - 1).trim();
        } else if (ref != null && !ref.isBlank()) {
            hemisphere = Character.toUpperCase(ref.trim().charAt(0));
        }
        if (hemisphere != null && !(latitude ? hemisphere == 'N' || hemisphere == 'S'
                : hemisphere == 'E' || hemisphere == 'W')) {
            throw new IllegalArgumentException("'" + value + "' has hemisphere " + hemisphere + ", expected "
                    + (latitude ? "N or S" : "E or W"));
        }
        String[] parts = text.split(",", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("'" + value + "' has more than three comma-separated parts");
        }
        double first = number(parts[0], value);
        boolean negative = first < 0 || parts[0].trim().startsWith("-");
        double degrees = Math.abs(first);
        if (parts.length >= 2) {
            double minutes = number(parts[1], value);
            if (minutes < 0 || minutes >= 60) {
                throw new IllegalArgumentException("'" + value + "' has minutes outside 0..60");
            }
            degrees += minutes / 60.0;
        }
        if (parts.length == 3) {
            double seconds = number(parts[2], value);
            if (seconds < 0 || seconds >= 60) {
                throw new IllegalArgumentException("'" + value + "' has seconds outside 0..60");
            }
            degrees += seconds / 3600.0;
        }
        if (degrees > (latitude ? 90 : 180)) {
            throw new IllegalArgumentException("'" + value + "' is beyond " + (latitude ? "90" : "180") + " degrees");
        }
        if (hemisphere != null) {
            negative = hemisphere == 'S' || hemisphere == 'W';
        }
        return negative ? -degrees : degrees;
    }

    /** A decimal or a rational ("7100/10"); {@code null} for an empty text. */
    static Double rational(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return number(text, text);
    }

    private static double number(String part, String whole) {
        String t = part.trim().toLowerCase(Locale.ROOT);
        try {
            int slash = t.indexOf('/');
            double v;
            if (slash >= 0) {
                double den = Double.parseDouble(t.substring(slash + 1));
                if (den == 0) {
                    throw new IllegalArgumentException("'" + whole + "' divides by zero");
                }
                v = Double.parseDouble(t.substring(0, slash)) / den;
            } else {
                v = Double.parseDouble(t);
            }
            if (!Double.isFinite(v) || t.contains("e") || t.contains("n") || t.contains("x")) {
                throw new NumberFormatException(t);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + whole + "' is not a GPS coordinate", e);
        }
    }
}
