package org.geopigeon.engine.geocell.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geopigeon.engine.geo.LatLon;

/**
 * Reads training points from CSV: {@code lat,lon[,weight]}. An optional header row names the
 * columns (lat/latitude, lon/lng/longitude, weight; any case, any order); without a header the
 * first two columns are lat, lon and the third, if any, the weight. Rows with a missing, NaN or
 * out-of-range coordinate or a weight that is not > 0 are skipped and counted; a file with no valid
 * row is an error.
 */
public final class PointCsvReader {

    private PointCsvReader() {
    }

    public static PointSet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("points file not found: " + file);
        }
        List<TrainingPoint> points = new ArrayList<>();
        int skipped = 0;
        int rows = 0;
        String firstBad = null;
        int latCol = 0;
        int lonCol = 1;
        int weightCol = -1;
        boolean headerChecked = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("[,;\t]", -1);
                if (!headerChecked) {
                    headerChecked = true;
                    int[] header;
                    try {
                        header = header(f);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("points file " + file + ": " + e.getMessage(), e);
                    }
                    if (header != null) {
                        latCol = header[0];
                        lonCol = header[1];
                        weightCol = header[2];
                        continue;
                    }
                    weightCol = f.length >= 3 ? 2 : -1;
                }
                rows++;
                TrainingPoint p = parse(f, latCol, lonCol, weightCol);
                if (p == null) {
                    skipped++;
                    if (firstBad == null) {
                        firstBad = "line " + lineNo + ": '" + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'";
                    }
                } else {
                    points.add(p);
                }
            }
        }
        if (rows == 0) {
            throw new IOException("points file " + file + " has no data rows (expected lat,lon[,weight])");
        }
        if (points.isEmpty()) {
            throw new IOException("points file " + file + ": none of its " + rows
                    + " rows has a valid lat,lon (first bad row " + firstBad + ")");
        }
        List<String> notes = new ArrayList<>();
        if (skipped > 0) {
            notes.add(skipped + " of " + rows + " rows skipped: missing, NaN or out-of-range lat/lon or bad weight (first: "
                    + firstBad + ")");
        }
        return new PointSet(file.toString(), points, skipped, notes);
    }

    /** Column positions {lat, lon, weight or -1} when the row is a header, else null. */
    private static int[] header(String[] f) {
        int lat = -1;
        int lon = -1;
        int weight = -1;
        for (int i = 0; i < f.length; i++) {
            String h = f[i].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            switch (h) {
                case "lat", "latitude", "y" -> lat = i;
                case "lon", "lng", "long", "longitude", "x" -> lon = i;
                case "weight", "w" -> weight = i;
                default -> { }
            }
        }
        if (lat >= 0 && lon >= 0) {
            return new int[] {lat, lon, weight};
        }
        // A first row that is not numeric but lacks the names is a header we cannot read.
        if (f.length >= 2 && !numeric(f[0]) && !numeric(f[1])) {
            throw new IllegalArgumentException("CSV header '" + String.join(",", f)
                    + "' does not name lat and lon columns (lat/latitude, lon/lng/longitude)");
        }
        return null;
    }

    private static boolean numeric(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static TrainingPoint parse(String[] f, int latCol, int lonCol, int weightCol) {
        if (f.length <= Math.max(latCol, lonCol)) {
            return null;
        }
        try {
            double lat = Double.parseDouble(f[latCol].trim());
            double lon = Double.parseDouble(f[lonCol].trim());
            double w = 1;
            if (weightCol >= 0 && weightCol < f.length && !f[weightCol].isBlank()) {
                w = Double.parseDouble(f[weightCol].trim());
            }
            if (!LatLon.isValid(lat, lon) || !(w > 0) || Double.isInfinite(w)) {
                return null;
            }
            return new TrainingPoint(lat, lon, w);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
