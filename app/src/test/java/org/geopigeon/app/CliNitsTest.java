package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small things a fresh-user trial tripped over (trial 1, steps 1-3 and 7), each as it should be now. */
class CliNitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void noTableHeaderWhenEveryFileFails() throws IOException {
        Path bad = Files.writeString(dir.resolve("a.jpg"), "not a photo");
        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                bad.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("", r.out(), "stdout stays empty");
        Path good = dir.resolve("b.png");
        TrainCommandTest.writePng(good, 1);
        TrainCommandTest.Run mixed = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                bad.toString(), good.toString());
        assertEquals(2, mixed.out().lines().count(), "header and one row: " + mixed.out());
    }

    @Test
    void progressShowsTheTrueShare() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), 9, false);
        for (int i = 0; i < 9; i++) {
            bar.advance(1);
        }
        assertTrue(s.toString().startsWith("1/9 images (11%)"), s.toString());
        assertTrue(s.toString().contains("5/9 images (55%)"), s.toString());
        assertTrue(s.toString().contains("9/9 images (100%)"), s.toString());
    }

    @Test
    void locateJsonCarriesThePixelHashInspectShows() throws IOException {
        Path png = dir.resolve("p.png");
        TrainCommandTest.writePng(png, 4);
        TrainCommandTest.Run located = TrainCommandTest.run("locate", "--json", "--bundle",
                TrainCommandTest.BUNDLE.toString(), png.toString());
        TrainCommandTest.Run inspected = TrainCommandTest.run("inspect", "--json", png.toString());
        JsonNode l = JSON.readTree(located.out());
        assertEquals(JSON.readTree(inspected.out()).get("pixel_sha256").asText(), l.get("image_sha256").get(0).asText());
        assertEquals(1, l.get("image_sha256").size());
    }

    @Test
    void aPrecisionFromTheConfigurationSaysWhereItCameFrom() throws IOException {
        Path png = dir.resolve("p.png");
        TrainCommandTest.writePng(png, 4);
        try (SystemProperty setting = SystemProperty.set("geopigeon.precision", "fp32")) {
            TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                    png.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("backbone: fp32 on ") && r.err().contains("from -Dgeopigeon.precision=fp32)"),
                    r.err());
        }
    }

    @Test
    void aBadSettingIsOneLineNamingItAndItsValuesWithoutTheUsageText() throws IOException {
        Path png = dir.resolve("p.png");
        TrainCommandTest.writePng(png, 4);
        try (SystemProperty setting = SystemProperty.set("geopigeon.precision", "xyz")) {
            TrainCommandTest.Run r = TrainCommandTest.run("locate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                    png.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line, no usage text: " + r.err());
            assertTrue(r.err().contains("GEOPIGEON_PRECISION") && r.err().contains("xyz")
                    && r.err().contains("fp32"), "names the variable, the value and the allowed ones: " + r.err());
        }
    }

    @Test
    void aSizeLimitSaysItsUnitOnce() throws IOException {
        Path png = dir.resolve("p.png");
        TrainCommandTest.writePng(png, 4);
        try (SystemProperty setting = SystemProperty.set("geopigeon.maxImageBytes", "100")) {
            TrainCommandTest.Run r = TrainCommandTest.run("inspect", png.toString());
            assertEquals(1, r.exitCode(), r.err());
            assertTrue(r.err().contains("more than the limit of 100 bytes"), r.err());
            assertFalse(r.err().contains("100 bytes (100 bytes)"), r.err());
        }
    }

    @Test
    void aPipeIsReadOnceNotTakenForAnEmptyFile() throws Exception {
        Path png = dir.resolve("p.png");
        TrainCommandTest.writePng(png, 5);
        Path fifo = fifo("photo");
        Thread writer = feed(fifo, Files.readAllBytes(png));
        TrainCommandTest.Run r = TrainCommandTest.run("locate", "--json", "--bundle",
                TrainCommandTest.BUNDLE.toString(), fifo.toString());
        writer.join(10_000);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(fifo.toString(), JSON.readTree(r.out()).get("file").asText());

        // evaluate --truth <(...): the CSV is read once too.
        Path truth = fifo("truth");
        Thread csv = feed(truth, ("file,lat,lon\np.png,48.85,2.35\n").getBytes());
        TrainCommandTest.Run e = TrainCommandTest.run("evaluate", "--bundle", TrainCommandTest.BUNDLE.toString(),
                "--truth", truth.toString(), "--images", dir.toString());
        csv.join(10_000);
        assertEquals(0, e.exitCode(), e.err());
        assertFalse(e.err().contains("not found"), e.err());
    }

    @Test
    void geocellsBuildNeedsAnExistingFolderAndWritesAnOrdinaryFile() throws IOException {
        Path points = dir.resolve("points.csv");
        StringBuilder csv = new StringBuilder("lat,lon\n");
        for (int i = 0; i < 40; i++) {
            csv.append(48 + i * 0.01).append(',').append(2 + i * 0.01).append('\n');
        }
        Files.writeString(points, csv);
        Path missing = dir.resolve("no/such/dir/x.geojson");
        TrainCommandTest.Run r = TrainCommandTest.run("geocells", "build", "--points", points.toString(),
                "--boundaries", Path.of("../sample-data/boundaries/countries.geojson").toString(), "--out",
                missing.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("does not exist (create it first)"), r.err());
        assertFalse(Files.exists(dir.resolve("no")), "no folder created");

        Path out = dir.resolve("cells.geojson");
        TrainCommandTest.Run ok = TrainCommandTest.run("geocells", "build", "--points", points.toString(),
                "--boundaries", Path.of("../sample-data/boundaries/countries.geojson").toString(),
                "--min-points", "5", "--max-points", "20", "--out", out.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(GeocellGeoJson.read(out).size() > 0);
        Path reference = Files.createFile(dir.resolve("reference")); // 0666 less this process's umask
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(out),
                "the mode any new file gets, not a temporary file's 0600");
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo not available");
        return p;
    }

    private static Thread feed(Path fifo, byte[] bytes) {
        Thread t = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
