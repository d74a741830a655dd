package org.geopigeon.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;

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
        rowFormat = "%-" + width + "s %9s %10s %5s %-3s %-20s  %s";
    }

    String header() {
        return String.format(Locale.ROOT, rowFormat, "FILE", "LAT", "LON", "CONF", "REF", "EXIF GPS", "TOP CELLS");
    }

    String row(List<String> files, Prediction p) {
        List<String> top = new ArrayList<>();
        for (CellProbability c : p.topCells().subList(0, Math.min(TOP_CELLS_SHOWN, p.topCells().size()))) {
            top.add(String.format(Locale.ROOT, "%s %.1f%%", label(c.cell()), 100 * c.probability()));
        }
        String exif = p.exifGps() == null ? "-"
                : String.format(Locale.ROOT, "%.5f,%.5f", p.exifGps().lat(), p.exifGps().lon());
        return String.format(Locale.ROOT, rowFormat, fileLabel(files),
                String.format(Locale.ROOT, "%.5f", p.location().lat()),
                String.format(Locale.ROOT, "%.5f", p.location().lon()),
                String.format(Locale.ROOT, "%.2f", p.confidence()),
                p.refined() ? "yes" : "no", exif, String.join(" | ", top));
    }

    /** "name, admin1 (country)" with empty parts left out; the cell id when the cell has no name. */
    static String label(Geocell c) {
        StringBuilder sb = new StringBuilder(c.name().isEmpty() ? c.id() : c.name());
        if (!c.admin1().isEmpty() && !c.admin1().equals(c.name())) {
            sb.append(", ").append(c.admin1());
        }
        if (!c.country().isEmpty() && !c.country().equals(c.name())) {
            sb.append(" (").append(c.country()).append(')');
        }
        return sb.toString();
    }

    private static String fileLabel(List<String> files) {
        String first = files.get(0);
        return files.size() == 1 ? first : first + " (+" + (files.size() - 1) + " views)";
    }
}
