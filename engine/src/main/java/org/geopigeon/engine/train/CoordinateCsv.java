package org.geopigeon.engine.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geopigeon.engine.geo.LatLon;

/**
 * Coordinate tables as CSV: a header row naming a latitude column ({@code lat}, {@code latitude}),
 * a longitude column ({@code lon}, {@code lng}, {@code long}, {@code longitude}) and optionally a file
 * column ({@code file}, {@code filename}, {@code image}, {@code path}); header names are
 * case-insensitive, other columns are ignored. Used for ground truth, photo locations and gallery
 * coordinate export.
 *
 * <p>Every bad row is reported: the exception names the file, the number of bad rows and the first
 * few with line numbers, so a user fixes the file in one pass.
 */
public final class CoordinateCsv {

    /** One row; {@code file} is null when the table has no file column. {@code line} is 1-based. */
    public record Row(String file, LatLon location, int line) {
    }

    private static final int MAX_REPORTED = 5;

    private CoordinateCsv() {
    }

    /** Reads all rows; {@code requireFile} demands a file column. */
    public static List<Row> read(Path csv, boolean requireFile) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IOException(csv + ": CSV file not found");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int headerLine = 0;
        while (headerLine < lines.size() && lines.get(headerLine).isBlank()) {
            headerLine++;
        }
        if (headerLine == lines.size()) {
            throw new IOException(csv + ": CSV file is empty (expected a header such as file,lat,lon)");
        }
        List<String> header = split(stripBom(lines.get(headerLine)));
        int latCol = column(header, "lat", "latitude");
        int lonCol = column(header, "lon", "lng", "long", "longitude");
        int fileCol = column(header, "file", "filename", "image", "path", "name");
        if (latCol < 0 || lonCol < 0 || (requireFile && fileCol < 0)) {
            throw new IOException(csv + ": header " + header + " lacks " + (requireFile ? "file, " : "")
                    + "lat and lon columns (names are case-insensitive)");
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int bad = 0;
        for (int i = headerLine + 1; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            List<String> cells = split(text);
            String problem = null;
            double lat = Double.NaN;
            double lon = Double.NaN;
            String file = null;
            if (cells.size() <= Math.max(Math.max(latCol, lonCol), fileCol)) {
                problem = "has " + cells.size() + " columns, header has " + header.size();
            } else {
                lat = parse(cells.get(latCol));
                lon = parse(cells.get(lonCol));
                file = fileCol >= 0 ? cells.get(fileCol).trim() : null;
                if (!LatLon.isValid(lat, lon)) {
                    problem = "invalid coordinates lat=" + cells.get(latCol).trim() + ", lon=" + cells.get(lonCol).trim()
                            + " (need finite numbers, lat in [-90, 90], lon in [-180, 180])";
                } else if (fileCol >= 0 && requireFile && file.isEmpty()) {
                    problem = "has an empty file name";
                }
            }
            if (problem != null) {
                bad++;
                if (problems.size() < MAX_REPORTED) {
                    problems.add("line " + (i + 1) + " " + problem);
                }
                continue;
            }
            rows.add(new Row(file, new LatLon(lat, lon), i + 1));
        }
        if (bad > 0) {
            throw new IOException(csv + ": " + bad + " of " + (bad + rows.size()) + " rows are invalid: "
                    + String.join("; ", problems) + (bad > problems.size() ? "; ..." : ""));
        }
        if (rows.isEmpty()) {
            throw new IOException(csv + ": CSV file has a header but no data rows");
        }
        return rows;
    }

    /** Writes rows as {@code file,lat,lon} (or {@code lat,lon} when every file is null), atomically. */
    public static void write(Path csv, List<Row> rows) throws IOException {
        boolean withFile = rows.stream().anyMatch(r -> r.file() != null);
        Path dir = csv.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".coords", ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(withFile ? "file,lat,lon\n" : "lat,lon\n");
                for (Row r : rows) {
                    if (withFile) {
                        w.write(quote(r.file() == null ? "" : r.file()));
                        w.write(',');
                    }
                    // Shortest round-trip decimal: lossless for doubles.
                    w.write(r.location().lat() + "," + r.location().lon() + "\n");
                }
            }
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static int column(List<String> header, String... names) {
        for (String n : names) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Splits one CSV line (RFC 4180 quotes; no embedded newlines). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
