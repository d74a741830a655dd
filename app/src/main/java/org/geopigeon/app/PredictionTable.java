package org.geopigeon.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geopigeon.service.GeolocationResult;

/** Human-readable output of {@code geopigeon locate}: one line per image or panorama. */
final class PredictionTable {

    static final int TOP_CELLS_SHOWN = 3;

    private final String rowFormat;

    /**
     * @param files    every file name that will be printed, so the file column fits the longest
     * @param panorama files are panorama views: rows name the first view and "(+3 views)"
     */
    PredictionTable(List<String> files, boolean panorama) {
        int width = "FILE".length();
        for (String f : files) {
            width = Math.max(width, f.length() + (panorama ? " (+3 views)".length() : 0));
        }
        width = Math.min(width, 100); // longer paths simply push the row
        rowFormat = "%-" + width + "s %9s %10s %5s %-3s %-26s  %s";
    }

    String header() {
        return String.format(Locale.ROOT, rowFormat, "FILE", "LAT", "LON", "CONF", "REF", "GPS (SOURCE)", "TOP CELLS");
    }

    String row(List<String> files, GeolocationResult r) {
        GeolocationResult.Estimate e = r.estimate();
        List<String> top = new ArrayList<>();
        for (GeolocationResult.Cell c : r.cells().subList(0, Math.min(TOP_CELLS_SHOWN, r.cells().size()))) {
            top.add(String.format(Locale.ROOT, "%s %.1f%%", label(c), 100 * c.probability()));
        }
        String exif = e.exifGps() == null ? "-"
                : String.format(Locale.ROOT, "%.5f,%.5f", e.exifGps().lat(), e.exifGps().lon())
                + (e.gpsSource() == null ? "" : " (" + e.gpsSource() + ")");
        return String.format(Locale.ROOT, rowFormat, fileLabel(files),
                String.format(Locale.ROOT, "%.5f", e.lat()),
                String.format(Locale.ROOT, "%.5f", e.lon()),
                String.format(Locale.ROOT, "%.2f", e.confidence()),
                e.refined() ? "yes" : "no", exif, String.join(" | ", top));
    }

    /** "name, admin1 (country)" with empty parts left out; the cell id when the cell has no name. */
    static String label(GeolocationResult.Cell c) {
        String name = c.name() == null ? "" : c.name();
        String admin1 = c.admin1() == null ? "" : c.admin1();
        String country = c.country() == null ? "" : c.country();
        StringBuilder sb = new StringBuilder(name.isEmpty() ? c.cellId() : name);
        if (!admin1.isEmpty() && !admin1.equals(name)) {
            sb.append(", ").append(admin1);
        }
        if (!country.isEmpty() && !country.equals(name)) {
            sb.append(" (").append(country).append(')');
        }
        return sb.toString();
    }

    private static String fileLabel(List<String> files) {
        String first = files.get(0);
        return files.size() == 1 ? first : first + " (+" + (files.size() - 1) + " views)";
    }
}
