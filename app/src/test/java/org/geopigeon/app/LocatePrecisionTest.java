package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --precision} and {@code --decode-threads} on the command line (issue 9). */
class LocatePrecisionTest {

    private static final String BUNDLE = "../sample-data/demo-bundle";
    private static final String PHOTO = Path.of("../sample-data/photos/street_with_gps.jpg").toString();
    private static final String PHOTO2 = Path.of("../sample-data/photos/countryside.png").toString();

    @Test
    void locatesWithTheRequestedPrecisionAndSaysWhichRan() throws Exception {
        java.util.Set<String> topCells = new java.util.HashSet<>();
        for (String p : List.of("fp32", "bf16", "int8")) {
            Run run = run("locate", "--bundle", BUNDLE, "--precision", p, "--json", PHOTO);
            assertEquals(0, run.exitCode, run.err);
            assertTrue(run.err.contains("backbone: " + p + " on cpu() (requested"), run.err);
            JsonNode line = new ObjectMapper().readTree(run.out.lines().findFirst().orElseThrow());
            assertTrue(line.path("lat").isNumber() && line.path("lon").isNumber(), run.out);
            topCells.add(line.path("top_cells").path(0).path("cell_id").asText());
        }
        assertEquals(1, topCells.size(), "all three precisions agree on the top cell: " + topCells);
    }

    @Test
    void aMultiFileRunEndsWithTheStageTotals() {
        Run run = run("locate", "--bundle", BUNDLE, "--decode-threads", "2", PHOTO, PHOTO2);
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.err.contains("2 images in "), run.err);
        assertTrue(run.err.contains("on 2 decode threads, overlapped with backbone"), run.err);
    }

    @Test
    void badValuesAreCommandLineErrors() {
        Run precision = run("locate", "--bundle", BUNDLE, "--precision", "fp64", PHOTO);
        assertEquals(2, precision.exitCode, precision.err);
        assertTrue(precision.err.contains("unknown precision 'fp64': expected auto, fp32, bf16, fp16, int8"), precision.err);
        Run threads = run("locate", "--bundle", BUNDLE, "--decode-threads", "0", PHOTO);
        assertEquals(2, threads.exitCode, threads.err);
        assertTrue(threads.err.contains("--decode-threads must be between 1 and 64"), threads.err);
    }

    @Test
    void aPrecisionTheMachineCannotRunFailsWithTheReason() {
        Run run = run("locate", "--bundle", BUNDLE, "--precision", "fp16", PHOTO);
        assertEquals(1, run.exitCode, run.err);
        assertTrue(run.err.contains("cannot load model bundle"), run.err);
        assertTrue(run.err.contains("fp16 runs only on a CUDA GPU"), run.err);
        assertTrue(!run.err.contains("Exception"), "no Java class names: " + run.err);
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CliCapture.Result r = CliCapture.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }
}
