package org.geopigeon.engine.io;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.geopigeon.engine.geo.LatLon;

/**
 * The one reader (and writer) of coordinate tables: ground truth ({@code geopigeon evaluate}), photo locations
 * ({@code train}, {@code pretrain}, the Spark gallery job), geocell training points ({@code geocells build}) and
 * gallery coordinate exports. Parsing is Apache Commons CSV (RFC 4180: quoted fields may hold the delimiter,
 * quotes and line breaks); the rules below are GeoPigeon's and the same for every caller.
 *
 * <ul>
 *   <li><b>Text:</b> UTF-8, a leading byte-order mark ignored; blank lines and lines starting with {@code #} are
 *       skipped. The delimiter is a comma, else (when the first table line has no comma) a tab or a semicolon.</li>
 *   <li><b>Header:</b> the first table line names the columns, case-insensitively and in any order: latitude
 *       {@code lat|latitude}, longitude {@code lon|lng|long|longitude}, optionally a file
 *       {@code file|filename|image|path|name} and a weight {@code weight|w}; other columns are ignored.
 *       {@code x}/{@code y} are not accepted (which one is the latitude is a guess). A table without a file column
 *       may have no header: when the first line's first two fields are numbers they are <b>lat, lon</b> (ISO 6709
 *       order, as the MP-16/GeoCLIP coordinate files) and a third field is the weight. A first line that is neither
 *       is an error naming the header.</li>
 *   <li><b>Rows:</b> latitude in [-90, 90] and longitude in [-180, 180], finite decimal numbers (degrees, WGS 84);
 *       the weight, when the column is there and the field not blank, a finite number &gt; 0 (default 1); the file
 *       name, when a file column is required, not empty.</li>
 *   <li><b>Bad rows</b> (too few fields, a coordinate or weight breaking the rules, an empty file name) are named
 *       by line number with what is wrong, the first {@value #MAX_REPORTED} of them. With {@link BadRows#FAIL} (the
 *       default: each row stands for a photo or a truth the caller must not silently lose) the file is refused;
 *       with {@link BadRows#SKIP} (aggregate statistics over many points, such as geocell building) they are left
 *       out and counted in {@link Table#badRows()}. A table without one good row is refused either way.</li>
 * </ul>
 * Every problem is an {@link IOException} whose message starts with the file name. Thread-safe (no state).
 */
public final class CoordinateCsv {

    /** What to do with rows that break the rules. */
    public enum BadRows {
        /** Refuse the file, naming the bad rows. */
        FAIL,
        /** Leave them out; the table counts them and names the first few. */
        SKIP
    }

    /**
     * One good row.
     *
     * @param file     the file column's value (trimmed), or null when the table has no file column
     * @param location latitude/longitude in degrees
     * @param weight   the weight column's value, 1 when the table has none or the field is blank
     * @param line     1-based line of the file where the row ends (its only line unless a quoted field holds a
     *                 line break)
     */
    public record Row(String file, LatLon location, double weight, int line) {

        public Row {
            Objects.requireNonNull(location, "location");
        }

        /** A row of weight 1. */
        public Row(String file, LatLon location, int line) {
            this(file, location, 1, line);
        }
    }

    /**
     * A table read with {@link BadRows#SKIP}.
     *
     * @param source   the file
     * @param rows     the good rows, in file order (at least one)
     * @param badRows  rows left out
     * @param problems "line N: what is wrong" for the first {@value #MAX_REPORTED} bad rows
     */
    public record Table(Path source, List<Row> rows, int badRows, List<String> problems) {

        public Table {
            rows = List.copyOf(rows);
            problems = List.copyOf(problems);
        }

        /** "4 of 6 rows skipped: line 2: ...; ..." for warnings, or "" when no row was skipped. */
        public String skippedNote() {
            return badRows == 0 ? "" : badRows + " of " + (badRows + rows.size()) + " rows skipped: " + listed(problems, badRows);
        }
    }

    /** Bad rows named in a message (the rest are counted). */
    public static final int MAX_REPORTED = 5;

    private static final List<String> LAT = List.of("lat", "latitude");
    private static final List<String> LON = List.of("lon", "lng", "long", "longitude");
    private static final List<String> FILE = List.of("file", "filename", "image", "path", "name");
    private static final List<String> WEIGHT = List.of("weight", "w");

    private CoordinateCsv() {
    }

    /**
     * Reads every row, refusing the file when any row is bad ({@link BadRows#FAIL}).
     *
     * @param requireFile the table must have a file column (photos listed with their position)
     * @throws IOException when the file is missing, unreadable, empty, lacks the columns, or has a bad row
     */
    public static List<Row> read(Path csv, boolean requireFile) throws IOException {
        return read(csv, requireFile, BadRows.FAIL).rows();
    }

    /**
     * Reads the table with the given treatment of bad rows.
     *
     * @throws IOException when the file is missing, unreadable, empty or lacks the columns; with
     *                     {@link BadRows#FAIL} also for any bad row, with {@link BadRows#SKIP} when no row is good
     */
    public static Table read(Path csv, boolean requireFile, BadRows badRows) throws IOException {
        Objects.requireNonNull(badRows, "badRows");
        if (!Files.exists(csv)) {
            throw new IOException(csv + ": CSV file not found");
        }
        if (Files.isDirectory(csv)) {
            throw new IOException(csv + ": is a directory, not a CSV file");
        }
        // Read once: a pipe (`--truth <(...)`) cannot be read a second time after the delimiter was sniffed.
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(csv)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(csv + ": not UTF-8 text (is it a CSV file?)", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        char delimiter = delimiter(text);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setCommentMarker('#')
                .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get();
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int bad = 0;
        try (BufferedReader in = new BufferedReader(new java.io.StringReader(text));
             CSVParser parser = CSVParser.parse(in, format)) {
            Columns columns = null;
            for (CSVRecord record : parser) {
                int line = (int) parser.getCurrentLineNumber();
                List<String> fields = record.toList();
                if (columns == null) {
                    columns = Columns.of(csv, fields, requireFile);
                    if (columns.header()) {
                        continue;
                    }
                }
                String problem = columns.problem(fields);
                if (problem == null) {
                    rows.add(columns.row(fields, line));
                } else {
                    bad++;
                    if (problems.size() < MAX_REPORTED) {
                        problems.add("line " + line + ": " + problem);
                    }
                }
            }
            if (columns == null) {
                throw new IOException(csv + ": CSV file is empty: no data rows (expected a header such as "
                        + (requireFile ? "file,lat,lon" : "lat,lon") + ")");
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports a malformed file (an unterminated quote) while iterating; its own message names the line.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(csv + ": not a readable CSV file: " + (cause instanceof CharacterCodingException
                    ? "not UTF-8 text" : cause.getMessage()), e);
        }
        if (bad > 0 && badRows == BadRows.FAIL) {
            throw new IOException(csv + ": " + bad + " of " + (bad + rows.size()) + " rows are invalid: "
                    + listed(problems, bad));
        }
        if (rows.isEmpty()) {
            throw new IOException(bad == 0 ? csv + ": CSV file has a header but no data rows"
                    : csv + ": none of its " + bad + " rows has a valid lat,lon: " + listed(problems, bad));
        }
        return new Table(csv, rows, bad, problems);
    }

    /**
     * Writes rows as {@code file,lat,lon}, or {@code lat,lon} when no row has a file, atomically (a temporary file
     * renamed into place). Coordinates are written as Java's shortest round-trip decimal, so {@link #read} gives back
     * the same doubles; weights are not written.
     */
    public static void write(Path csv, List<Row> rows) throws IOException {
        boolean withFile = rows.stream().anyMatch(r -> r.file() != null);
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
        AtomicFiles.write(csv, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                 CSVPrinter out = new CSVPrinter(w, format)) {
                if (withFile) {
                    out.printRecord("file", "lat", "lon");
                } else {
                    out.printRecord("lat", "lon");
                }
                for (Row r : rows) {
                    String lat = Double.toString(r.location().lat());
                    String lon = Double.toString(r.location().lon());
                    if (withFile) {
                        out.printRecord(r.file() == null ? "" : r.file(), lat, lon);
                    } else {
                        out.printRecord(lat, lon);
                    }
                }
            }
        });
    }

    /** Column positions, from the header or (no header) lat, lon[, weight]. */
    private record Columns(boolean header, int lat, int lon, int file, int weight, int width) {

        static Columns of(Path csv, List<String> first, boolean requireFile) throws IOException {
            int lat = find(first, LAT);
            int lon = find(first, LON);
            int file = find(first, FILE);
            int weight = find(first, WEIGHT);
            if (lat >= 0 && lon >= 0) {
                if (requireFile && file < 0) {
                    throw new IOException(csv + ": header " + first + " lacks a file column (" + String.join(", ", FILE)
                            + "; names are case-insensitive)");
                }
                return new Columns(true, lat, lon, file, weight, first.size());
            }
            if (!requireFile && first.size() >= 2 && number(first.get(0)) && number(first.get(1))) {
                return new Columns(false, 0, 1, -1, first.size() >= 3 ? 2 : -1, 2);
            }
            throw new IOException(csv + ": header " + first + " does not name lat and lon columns (lat/latitude,"
                    + " lon/lng/long/longitude" + (requireFile ? ", and a file column" : "")
                    + "; names are case-insensitive)");
        }

        /** What is wrong with a row, or null when it is good. */
        String problem(List<String> f) {
            int needed = Math.max(Math.max(lat, lon), file) + 1;
            if (f.size() < needed) {
                return "has " + f.size() + " columns, " + (header ? "the header has " + width : "needs at least " + needed);
            }
            double la = parse(f.get(lat));
            double lo = parse(f.get(lon));
            if (!LatLon.isValid(la, lo)) {
                return "invalid coordinates lat=" + f.get(lat) + ", lon=" + f.get(lon)
                        + " (need finite numbers, lat in [-90, 90], lon in [-180, 180])";
            }
            if (file >= 0 && f.get(file).isBlank()) {
                return "has an empty file name";
            }
            if (weight >= 0 && weight < f.size() && !f.get(weight).isBlank()) {
                double w = parse(f.get(weight));
                if (!(w > 0) || Double.isInfinite(w)) {
                    return "invalid weight " + f.get(weight) + " (need a finite number > 0)";
                }
            }
            return null;
        }

        Row row(List<String> f, int line) {
            double w = weight >= 0 && weight < f.size() && !f.get(weight).isBlank() ? parse(f.get(weight)) : 1;
            return new Row(file >= 0 ? f.get(file).trim() : null, new LatLon(parse(f.get(lat)), parse(f.get(lon))), w, line);
        }

        private static int find(List<String> header, List<String> names) {
            for (String n : names) {
                for (int i = 0; i < header.size(); i++) {
                    if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(n)) {
                        return i;
                    }
                }
            }
            return -1;
        }
    }

    /** Comma, else a tab or semicolon when the first table line has no comma (as spreadsheet exports use). */
    private static char delimiter(String text) throws IOException {
        try (BufferedReader in = new BufferedReader(new java.io.StringReader(text))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.indexOf(',') < 0) {
                    if (line.indexOf('\t') >= 0) {
                        return '\t';
                    }
                    if (line.indexOf(';') >= 0) {
                        return ';';
                    }
                }
                return ',';
            }
        }
        return ',';
    }

    private static boolean number(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String listed(List<String> problems, int total) {
        return String.join("; ", problems) + (total > problems.size() ? "; ..." : "");
    }
}
