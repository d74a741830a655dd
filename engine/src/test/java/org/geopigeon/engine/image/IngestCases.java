package org.geopigeon.engine.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ingest cases with the values Pillow 9.4 gives: the handed set in shared/data/ingest (when present next to the
 * repository) and the decoder's own set in test resources (tools/make_ingest_cases.py). Both have an
 * {@code expected.csv} with at least {@code file, expect, width, height, pixel_sha256, gps_lat, gps_lon, gps_source};
 * the own set adds {@code orientation, gps_alt, icc_profile, reason}. Shared with the app's CLI tests.
 */
public record IngestCases(Path dir, String file, Map<String, String> values) {

    @Override
    public String toString() {
        return dir.getFileName() + "/" + file;
    }

    /** A column's value, or "" when the column is absent or empty. */
    public String get(String column) {
        return values.getOrDefault(column, "");
    }

    public boolean has(String column) {
        return !get(column).isEmpty();
    }

    public Path path() {
        return dir.resolve(file);
    }

    public boolean accepted() {
        return "accept".equals(get("expect"));
    }

    /** shared/data/ingest next to the repository (from a module or the root), or null. */
    public static Path sharedDir() {
        for (String candidate : new String[] {"../../shared/data/ingest", "../shared/data/ingest",
                "../../../shared/data/ingest"}) {
            Path dir = Path.of(candidate);
            if (Files.isRegularFile(dir.resolve("expected.csv"))) {
                return dir.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /**
     * The decoder's own cases (engine test resources): from the classpath when it is a folder, else (another module's
     * tests reading this class from the engine's test jar) from the engine's source tree next to that module.
     */
    public static Path ownDir() {
        java.net.URL url = IngestCases.class.getResource("/ingest/expected.csv");
        try {
            if (url != null && "file".equals(url.getProtocol())) {
                return Path.of(url.toURI()).getParent();
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String candidate : new String[] {"../engine/src/test/resources/ingest", "engine/src/test/resources/ingest"}) {
            Path dir = Path.of(candidate);
            if (Files.isRegularFile(dir.resolve("expected.csv"))) {
                return dir.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the ingest cases (engine/src/test/resources/ingest) are not reachable");
    }

    public static List<IngestCases> read(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("expected.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> header = splitCsv(lines.get(0));
        List<IngestCases> cases = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                values.put(header.get(i), cells.get(i));
            }
            cases.add(new IngestCases(dir, values.get("file"), values));
        }
        return cases;
    }

    /** The own cases, then the shared ones when present. */
    public static Stream<IngestCases> all() {
        List<IngestCases> all = new ArrayList<>(read(ownDir()));
        Path shared = sharedDir();
        if (shared != null) {
            all.addAll(read(shared));
        }
        return all.stream();
    }

    /**
     * One RFC 4180 line: commas separate, double quotes enclose, "" is a quote. A test fixture reader, small enough
     * not to add a CSV library to the engine's test classpath.
     */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
