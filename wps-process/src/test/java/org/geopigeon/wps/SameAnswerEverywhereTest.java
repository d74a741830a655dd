package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.geopigeon.app.GeoPigeonCli;
import org.geopigeon.app.serve.Boundaries;
import org.geopigeon.app.serve.GeoPigeonServer;
import org.geopigeon.app.serve.ServerSettings;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.TestImages;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.geoserver.wps.process.RawData;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.geotools.feature.NameImpl;
import org.geotools.process.Processors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.geom.Point;

/**
 * One audited service behind every front end: the same photo (portrait, EXIF orientation 6, GPS) through
 * {@code locate --store}, {@code POST /api/v1/locate} and the WPS process run as GeoServer runs it gives the same
 * pixel hash, the same prediction and the same EXIF position, and each is stored with its own audit row. The handed
 * ingest cases (../shared/data/ingest, when present) give, through all three, the pixel hash and GPS position Pillow
 * gives ({@code expected.csv}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameAnswerEverywhereTest {

    private static final String PHOTO = "portrait_gps_orientation6.jpg";
    private final ObjectMapper json = new ObjectMapper();
    private Path bundleDir;
    private TestDatabase db;
    private ModelBundle bundle;
    private GeoPigeonServer server;

    @BeforeAll
    void start() throws Exception {
        bundleDir = TestImages.samplePhoto(PHOTO).getParent().resolveSibling("demo-bundle").toAbsolutePath().normalize();
        db = ThrowawayPostgis.get().createMigratedDatabase("same_answer");
        bundle = ModelBundle.load(bundleDir);
        Boundaries boundaries = Boundaries.locate(null, null, bundleDir.getParent().getParent(),
                bundleDir.resolve(bundle.manifest().geocells()));
        // No tokens on loopback: the principal is the OS user (the HTTP service's accounts are tested in the app).
        server = GeoPigeonServer.start(ServerSettings.defaults().withPort(0).toBuilder()
                        .authMode(org.geopigeon.app.serve.auth.AuthMode.LOOPBACK_ONLY).build(), bundle, db.dataSource(), false,
                boundaries, new PrintStream(System.err, true, StandardCharsets.UTF_8));
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
        System.setProperty("geopigeon.bundle", bundleDir.toString());
    }

    @AfterAll
    void stop() {
        System.clearProperty("geopigeon.jdbc.url");
        System.clearProperty("geopigeon.bundle");
        server.close();
        bundle.close();
    }

    /** What each front end said, in the answer model's terms. */
    private record Answer(String front, List<String> hashes, double lat, double lon, Double exifLat, Double exifLon,
                          Double exifKm, List<String> cells, long predictionId) {
    }

    @Test
    void cliHttpAndWpsGiveTheSameHashPredictionAndExifPosition() throws Exception {
        List<Answer> answers = List.of(cli(photo()), http(photo()), wps(photo()));

        Answer first = answers.get(0);
        assertEquals(1, first.hashes().size());
        for (Answer a : answers) {
            String who = a.front() + " vs " + first.front();
            assertEquals(first.hashes(), a.hashes(), who);
            assertEquals(first.lat(), a.lat(), 1e-6, who);
            assertEquals(first.lon(), a.lon(), 1e-6, who);
            assertEquals(first.cells(), a.cells(), who);
            assertEquals(38.7077, a.exifLat(), 1e-4, who);
            assertEquals(-9.1365, a.exifLon(), 1e-4, who);
            assertEquals(first.exifKm(), a.exifKm(), 1e-3, who);
        }
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT a.parameters->>'interface', p.image_sha256[1]"
                     + " FROM geopigeon.predictions p JOIN geopigeon.audit_log a ON a.id = p.audit_id"
                     + " WHERE a.outcome = 'accepted' AND p.image_sha256[1] = '" + first.hashes().get(0) + "'"
                     + " ORDER BY p.id")) {
            List<String> interfaces = new ArrayList<>();
            while (rs.next()) {
                interfaces.add(rs.getString(1));
                assertEquals(first.hashes().get(0), rs.getString(2));
            }
            assertEquals(List.of("cli", "http", "wps"), interfaces, "each stored with its own audit row");
        }
    }


    @Test
    void theHandedIngestCasesGiveThePixelHashAndPositionPillowGivesThroughEveryFrontEnd() throws Exception {
        Path dir = Path.of("../../shared/data/ingest");
        if (!Files.isRegularFile(dir.resolve("expected.csv"))) {
            dir = Path.of("../shared/data/ingest");
        }
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("expected.csv")), "../shared/data/ingest not present");
        List<CSVRecord> cases;
        try (Reader r = Files.newBufferedReader(dir.resolve("expected.csv"))) {
            cases = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        int checked = 0;
        for (CSVRecord c : cases) {
            if (!c.get("expect").equals("accept")) {
                continue;
            }
            Path file = dir.resolve(c.get("file"));
            List<Answer> answers = List.of(cli(file), http(file), wps(file));
            for (Answer a : answers) {
                String who = c.get("file") + " through " + a.front();
                assertEquals(List.of(c.get("pixel_sha256")), a.hashes(), who);
                assertEquals(answers.get(0).lat(), a.lat(), 1e-6, who);
                assertEquals(answers.get(0).lon(), a.lon(), 1e-6, who);
                assertEquals(answers.get(0).cells(), a.cells(), who);
                if (c.get("gps_lat").isEmpty()) {
                    assertEquals(null, a.exifLat(), who + ": no position");
                } else {
                    assertNotNull(a.exifLat(), who);
                    assertEquals(Double.parseDouble(c.get("gps_lat")), a.exifLat(), 1e-4, who);
                    assertEquals(Double.parseDouble(c.get("gps_lon")), a.exifLon(), 1e-4, who);
                }
            }
            checked++;
        }
        assertTrue(checked > 0, "no accepted case in " + dir);
    }

    private static String mediaType(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".png") ? "image/png" : name.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }

    private static Double number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asDouble();
    }

    private static Double field(JsonNode object, String name) {
        return object == null || object.isNull() ? null : number(object.get(name));
    }

    private Answer cli(Path file) throws Exception {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = GeoPigeonCli.run("locate", "--bundle", bundleDir.toString(), "--store", "--purpose",
                    "same answer everywhere", "--jdbc", db.jdbcUrl(), "--json", file.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode l = json.readTree(out.toString(StandardCharsets.UTF_8).strip());
        return new Answer("cli", strings(l.get("image_sha256")), l.get("lat").asDouble(), l.get("lon").asDouble(),
                field(l.get("exif_gps"), "lat"), field(l.get("exif_gps"), "lon"),
                number(l.get("exif_distance_km")), cellIds(l.get("top_cells")),
                l.get("prediction_id").asLong());
    }

    private Answer http(Path file) throws Exception {
        URI uri = server.uri().resolve("api/v1/locate?purpose=same%20answer%20everywhere");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Content-Type", mediaType(file))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode features = json.readTree(r.body()).get("features");
        JsonNode e = features.get(0).get("properties");
        List<String> cells = new ArrayList<>();
        for (int i = 1; i < features.size(); i++) {
            cells.add(features.get(i).get("properties").get("cell_id").asText());
        }
        return new Answer("http", strings(e.get("image_sha256")), e.get("lat").asDouble(), e.get("lon").asDouble(),
                field(e.get("exif_gps"), "lat"), field(e.get("exif_gps"), "lon"),
                number(e.get("exif_distance_km")), cells, e.get("prediction_id").asLong());
    }

    private Answer wps(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String mediaType = mediaType(file);
        RawData raw = new RawData() {
            private boolean read;

            @Override
            public String getMimeType() {
                return mediaType;
            }

            @Override
            public InputStream getInputStream() {
                assertTrue(!read, "read once");
                read = true;
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public String getFileExtension() {
                return null;
            }
        };
        Map<String, Object> in = new HashMap<>();
        in.put("image", List.of(raw));
        in.put("purpose", "same answer everywhere");
        Map<String, Object> out = Processors.createProcess(new NameImpl("geopigeon", "Geolocate")).execute(in, null);
        assertNotNull(out);
        SimpleFeature p;
        try (SimpleFeatureIterator it = ((SimpleFeatureCollection) out.get("location")).features()) {
            p = it.next();
        }
        List<String> cells = new ArrayList<>();
        try (SimpleFeatureIterator it = ((SimpleFeatureCollection) out.get("cells")).features()) {
            while (it.hasNext()) {
                cells.add((String) it.next().getAttribute("cell_id"));
            }
        }
        Point point = (Point) p.getDefaultGeometry();
        return new Answer("wps", List.of(((String) p.getAttribute("image_sha256")).split(",")), point.getY(),
                point.getX(), (Double) p.getAttribute("exif_lat"), (Double) p.getAttribute("exif_lon"),
                (Double) p.getAttribute("exif_distance_km"), cells, Long.parseLong((String) out.get("predictionId")));
    }

    private static Path photo() {
        return TestImages.samplePhoto(PHOTO);
    }

    private static List<String> strings(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    private static List<String> cellIds(JsonNode cells) {
        List<String> ids = new ArrayList<>();
        cells.forEach(c -> ids.add(c.get("cell_id").asText()));
        return ids;
    }
}
