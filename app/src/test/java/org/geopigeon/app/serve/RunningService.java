package org.geopigeon.app.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;

/**
 * A GeoPigeon server on a free port of 127.0.0.1 with the demo bundle and a throwaway PostGIS database,
 * plus the HTTP helpers the tests use.
 */
final class RunningService implements AutoCloseable {

    static final Path DEMO_BUNDLE = Path.of("../sample-data/demo-bundle");
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    final TestDatabase db;
    final ModelBundle bundle;
    final GeoPigeonServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    private RunningService(TestDatabase db, ModelBundle bundle, GeoPigeonServer server) {
        this.db = db;
        this.bundle = bundle;
        this.server = server;
    }

    static RunningService start(String dbPrefix, ServerSettings settings) throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase(dbPrefix);
        ModelBundle bundle = ModelBundle.load(DEMO_BUNDLE);
        GeoPigeonServer server = start(settings, bundle, db.dataSource());
        return new RunningService(db, bundle, server);
    }

    /** Another server on the same bundle, e.g. with other settings or a broken database. */
    static GeoPigeonServer start(ServerSettings settings, ModelBundle bundle, DataSource dataSource) throws IOException {
        Boundaries boundaries = Boundaries.locate(null, null, REPO, ServedModel.of(bundle).geocellFile());
        return GeoPigeonServer.start(settings.withPort(0), bundle, dataSource, false, boundaries,
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    static ServerSettings settings() {
        return ServerSettings.defaults().withPort(0);
    }

    @Override
    public void close() {
        server.close();
        bundle.close();
    }

    // ------------------------------------------------------------ requests

    record Reply(int status, Map<String, List<String>> headers, String body, JsonNode json) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    Reply post(String path, String contentType, byte[] body, String... headers) {
        return post(server, path, contentType, body, headers);
    }

    /** POSTs to another server (other settings, broken database) with this client. */
    Reply post(GeoPigeonServer target, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.uri().resolve(path.substring(1))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply postForm(Form form, String... headers) {
        return post("/api/v1/locate", form.contentType(), form.body(), headers);
    }

    URI uri(String path) {
        return server.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = null;
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json")) {
                json = mapper.readTree(r.body());
            }
            return new Reply(r.statusCode(), r.headers().map(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ audit rows

    /** One audit_log row. */
    record AuditRow(String principal, String clientAddress, String purpose, String outcome, String errorCode,
                    Long predictionId, String parameters, int images) {
    }

    AuditRow auditRow(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT principal,"
                + " client_address, purpose, outcome, error_code, prediction_id, parameters::text,"
                + " cardinality(image_sha256) FROM geopigeon.audit_log WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no audit row " + id);
                }
                long pid = rs.getLong(6);
                Long predictionId = rs.wasNull() ? null : pid;
                return new AuditRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        predictionId, rs.getString(7), rs.getInt(8));
            }
        }
    }

    long auditRowCount() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM geopigeon.audit_log"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------ bodies

    /** A 320x240 JPEG with a colour gradient, different for each seed. */
    static byte[] jpeg(int seed) {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(seed * 37 % 256, 120, 200), 320, 240,
                new Color(30, seed * 91 % 256, 60)));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A multipart/form-data body built by hand, as a browser sends it. */
    static final class Form {
        private final String boundary = "----geopigeon" + UUID.randomUUID().toString().replace("-", "");
        private final List<byte[]> chunks = new ArrayList<>();

        Form field(String name, String value) {
            add("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n", value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String filename, String contentType, byte[] data) {
            add("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                    + "Content-Type: " + contentType + "\r\n\r\n", data);
            return this;
        }

        private void add(String headers, byte[] data) {
            chunks.add(("--" + boundary + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
            chunks.add(data);
            chunks.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }
}
