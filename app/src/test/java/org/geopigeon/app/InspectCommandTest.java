package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.geopigeon.engine.image.IngestCases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geopigeon inspect} and {@code geopigeon locate --json} on the ingest cases (issue 8): every file gives the
 * values in its expected.csv (own cases always, shared/data/ingest when present).
 */
class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUNDLE = Path.of("../sample-data/demo-bundle");

    @TempDir
    Path dir;

    private static List<IngestCases> cases(boolean shared) {
        if (shared) {
            Path sharedDir = IngestCases.sharedDir();
            Assumptions.assumeTrue(sharedDir != null, "shared/data/ingest not present");
            return IngestCases.read(sharedDir);
        }
        return IngestCases.read(IngestCases.ownDir());
    }

    @Test
    void jsonGivesTheExpectedValuesForTheHandedCases() throws IOException {
        checkJson(cases(true));
    }

    @Test
    void jsonGivesTheExpectedValuesForTheOwnCases() throws IOException {
        checkJson(cases(false));
    }

    private void checkJson(List<IngestCases> cases) throws IOException {
        List<String> args = new ArrayList<>(List.of("inspect", "--json"));
        cases.forEach(c -> args.add(c.path().toString()));
        Run run = run(args.toArray(String[]::new));

        long refused = cases.stream().filter(c -> !c.accepted()).count();
        assertEquals(refused > 0 ? 1 : 0, run.exitCode, run.err);
        List<JsonNode> lines = jsonLines(run.out);
        List<IngestCases> accepted = cases.stream().filter(IngestCases::accepted).toList();
        assertEquals(accepted.size(), lines.size(), "one line per readable file, in order");
        for (int i = 0; i < accepted.size(); i++) {
            IngestCases c = accepted.get(i);
            JsonNode l = lines.get(i);
            assertEquals(Set.of("file", "format", "width", "height", "orientation", "pixel_sha256", "gps", "captured",
                    "camera", "software", "icc_profile", "icc_profile_applied", "warnings"), fieldNames(l), c.file());
            assertEquals(c.path().toString(), l.get("file").asText());
            assertEquals(c.get("pixel_sha256"), l.get("pixel_sha256").asText(), c.file());
            assertEquals(Integer.parseInt(c.get("width")), l.get("width").asInt(), c.file());
            assertEquals(Integer.parseInt(c.get("height")), l.get("height").asInt(), c.file());
            String ext = c.file().substring(c.file().lastIndexOf('.') + 1);
            assertEquals(ext.equals("jpg") ? "jpeg" : ext, l.get("format").asText());
            if (c.has("orientation")) {
                assertEquals(Integer.parseInt(c.get("orientation")), l.get("orientation").asInt(), c.file());
            }
            if (c.has("gps_lat")) {
                JsonNode gps = l.get("gps");
                assertEquals(Double.parseDouble(c.get("gps_lat")), gps.get("lat").asDouble(), 1e-4, c.file());
                assertEquals(Double.parseDouble(c.get("gps_lon")), gps.get("lon").asDouble(), 1e-4, c.file());
                assertEquals(c.get("gps_source"), gps.get("source").asText(), c.file());
                assertEquals(Set.of("lat", "lon", "alt", "source", "time"), fieldNames(gps));
            } else {
                assertTrue(l.get("gps").isNull(), c.file());
            }
            if (c.has("icc_profile")) {
                assertEquals(c.get("icc_profile"), l.get("icc_profile").asText(), c.file());
            }
            assertFalse(l.get("icc_profile_applied").asBoolean(), "profiles are never applied");
            assertTrue(l.get("warnings").isArray());
        }
        for (IngestCases c : cases) {
            if (!c.accepted()) {
                assertTrue(run.err.contains("error: " + c.path() + ": "), run.err);
            }
        }
    }

    @Test
    void readableBlockShowsPositionSourceCameraAndWarnings() {
        Path own = IngestCases.ownDir();
        Run run = run("inspect", own.resolve("o01_motorola_camera_fields.jpg").toString(),
                own.resolve("x02_xmp_ddmm_elements_south_west.jpg").toString(),
                own.resolve("m02_icc_cut_short.jpg").toString(), own.resolve("i01_display_p3.jpg").toString());
        assertEquals(0, run.exitCode, run.err);
        String out = run.out;
        assertTrue(out.contains("jpeg, 160 x 120 pixels after orientation 1"), out);
        assertTrue(out.contains("-33.448900, -70.669300 (from EXIF), altitude -12.5 m, GPS time 2023-07-14T16:05:09Z"), out);
        assertTrue(out.contains("captured      2023-07-14T18:05:09+02:00"), out);
        assertTrue(out.contains("camera        GeoPigeonCam GP-1, lens GP 4.2mm f/1.8"), out);
        assertTrue(out.contains("software      GeoPigeon tests 1.0"), out);
        assertTrue(out.contains("-22.951900, -43.210500 (from XMP), altitude 710.0 m"), out);
        assertTrue(out.contains("warnings      ignored a truncated ICC profile"), out);
        assertTrue(out.contains("icc profile   Display P3 (GeoPigeon test) (not applied, as in Pillow)"), out);
        assertEquals(4, out.split("\n\n").length, "one block per file, blank lines between");
    }

    @Test
    void refusedFilesAreNamedOnStderrAndTheOthersStillPrinted() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a photo");
        Path good = IngestCases.ownDir().resolve("x01_xmp_dms_attributes.jpg");
        Path cut = IngestCases.ownDir().resolve("m07_truncated_with_icc.jpg");
        Run run = run("inspect", "--json", text.toString(), good.toString(), cut.toString());
        assertEquals(1, run.exitCode);
        assertTrue(run.err.contains("error: " + text + ": is not a JPEG, PNG or WebP image"), run.err);
        assertTrue(run.err.contains("error: " + cut + ": is truncated"), run.err);
        assertTrue(run.err.contains("2 of 3 files could not be read"), run.err);
        assertFalse(run.err.contains("Exception"), "no Java class names: " + run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(1, lines.size());
        assertEquals("xmp", lines.get(0).get("gps").get("source").asText());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("inspect").exitCode, "no file");
        assertEquals(2, run("inspect", "--no-such-option", "x.jpg").exitCode);
    }

    /**
     * locate --json on the same files: exit 0, one line each, the position the file carries (whatever its source).
     * The hash the audit log stores is {@code PixelHash} of the same decoder's output: IngestCasesTest (engine) checks
     * it for every case, and inspect prints it above.
     */
    @Test
    void locateReadsTheSameFilesAndPositions() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(BUNDLE.resolve("manifest.json")), "demo bundle not built");
        List<IngestCases> cases = new ArrayList<>(cases(false).stream().filter(IngestCases::accepted).toList());
        Path shared = IngestCases.sharedDir();
        if (shared != null) {
            cases.addAll(IngestCases.read(shared).stream().filter(IngestCases::accepted).toList());
        }
        List<String> args = new ArrayList<>(List.of("locate", "--bundle", BUNDLE.toString(), "--json", "--top-k", "1"));
        cases.forEach(c -> args.add(c.path().toString()));
        Run run = run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode, run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(cases.size(), lines.size());
        for (int i = 0; i < cases.size(); i++) {
            IngestCases c = cases.get(i);
            JsonNode l = lines.get(i);
            assertEquals(c.path().toString(), l.get("file").asText());
            if (c.has("gps_lat")) {
                assertEquals(Double.parseDouble(c.get("gps_lat")), l.get("exif_gps").get("lat").asDouble(), 1e-4, c.file());
                assertEquals(Double.parseDouble(c.get("gps_lon")), l.get("exif_gps").get("lon").asDouble(), 1e-4, c.file());
            } else {
                assertTrue(l.get("exif_gps").isNull(), c.file());
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CliCapture.Result r = CliCapture.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }
}
