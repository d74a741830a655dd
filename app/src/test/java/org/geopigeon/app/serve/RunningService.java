package org.geopigeon.app.serve;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;

/**
 * A GeoPigeon server on a free port of 127.0.0.1 with the demo bundle and a throwaway PostGIS database, one API
 * token per role, and an HTTP client that checks every exchange against the server's own OpenAPI document
 * (a response the document does not describe fails the test).
 */
final class RunningService implements AutoCloseable {

    static final Path DEMO_BUNDLE = Path.of("../sample-data/demo-bundle");
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final ModelBundle bundle;
    final GeoPigeonServer server;
    final Map<Role, String> tokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenApiInteractionValidator validator;
    private final List<String> violations = new ArrayList<>();

    private RunningService(TestDatabase db, ModelBundle bundle, GeoPigeonServer server, Map<Role, String> tokens) {
        this.db = db;
        this.bundle = bundle;
        this.server = server;
        this.tokens = tokens;
        String doc = send(HttpRequest.newBuilder(uri("/api")).GET().build(), false).body();
        // Combinators resolved: allOf parts are checked as one schema. Undeclared members are errors (the
        // validator's default), so the document must list every member the server sends.
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(doc)
                .withResolveCombinators(true).build();
    }

    /** The demo bundle, a fresh migrated database, tokens for alice (analyst), victor (viewer), audrey (auditor), adam (admin). */
    static RunningService start(String dbPrefix, UnaryOperator<ServerSettings.Builder> settings) throws Exception {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase(dbPrefix);
        ModelBundle bundle = ModelBundle.load(DEMO_BUNDLE);
        Map<Role, String> tokens = new EnumMap<>(Role.class);
        ApiTokens t = new ApiTokens(db.dataSource());
        tokens.put(Role.ANALYST, t.create("alice", Role.ANALYST, "test").secret());
        tokens.put(Role.VIEWER, t.create("victor", Role.VIEWER, "test").secret());
        tokens.put(Role.AUDITOR, t.create("audrey", Role.AUDITOR, "test").secret());
        tokens.put(Role.ADMIN, t.create("adam", Role.ADMIN, "test").secret());
        GeoPigeonServer server = start(settings.apply(settings().toBuilder()).build(), bundle, db.dataSource());
        return new RunningService(db, bundle, server, tokens);
    }

    static RunningService start(String dbPrefix) throws Exception {
        return start(dbPrefix, b -> b);
    }

    /** Another server on the same bundle, e.g. with other settings or a broken database. */
    static GeoPigeonServer start(ServerSettings settings, ModelBundle bundle, DataSource dataSource) throws IOException {
        Boundaries boundaries = Boundaries.locate(null, null, REPO, ServedModel.of(bundle).geocellFile());
        return GeoPigeonServer.start(settings.toBuilder().port(0).build(), bundle, dataSource, false, boundaries,
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    /** Another server on the same bundle with model settings (micro-batching, per-request precisions). */
    static GeoPigeonServer start(ServerSettings settings, ModelBundle bundle, org.geopigeon.service.ModelSettings models,
                                 DataSource dataSource) throws IOException {
        Boundaries boundaries = Boundaries.locate(null, null, REPO, ServedModel.of(bundle).geocellFile());
        return GeoPigeonServer.start(settings.toBuilder().port(0).build(), bundle, models, dataSource, false,
                boundaries, new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    /** Test defaults: port 0, tokens re-checked at every request (revocation is immediate). */
    static ServerSettings settings() {
        return ServerSettings.defaults().toBuilder().port(0).tokenCacheTtl(Duration.ZERO).build();
    }

    String token(Role role) {
        return tokens.get(role);
    }

    @Override
    public void close() {
        server.close();
        bundle.close();
        if (!violations.isEmpty()) {
            throw new AssertionError("exchanges that the OpenAPI document does not describe:\n"
                    + String.join("\n", violations));
        }
    }

    // ------------------------------------------------------------ requests

    record Reply(int status, Map<String, List<String>> headers, String body, JsonNode json) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String type() {
            String t = header("Content-Type");
            return t == null ? "" : t;
        }
    }

    URI uri(String path) {
        return server.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    Reply get(String path, Role as, String... headers) {
        return send(builder(path, as, headers).GET().build(), true);
    }

    Reply delete(String path, Role as) {
        return send(builder(path, as).DELETE().build(), true);
    }

    Reply post(String path, Role as, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = builder(path, as, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build(), true);
    }

    /** POSTs as the analyst to another server (other settings, a frozen database) with this client. */
    Reply post(GeoPigeonServer target, String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(target.uri().resolve(path.substring(1)))
                .header("Authorization", "Bearer " + tokens.get(Role.ANALYST)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), true);
    }

    Reply postJson(String path, Role as, JsonNode body, String... headers) {
        return post(path, as, "application/json", bytes(body), headers);
    }

    /** POST /processes/{id}/execution. */
    Reply execute(String process, Role as, JsonNode body, String... headers) {
        return postJson("/processes/" + process + "/execution", as, body, headers);
    }

    private HttpRequest.Builder builder(String path, Role as, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (as != null) {
            b.header("Authorization", "Bearer " + tokens.get(as));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    /** Sends and, unless told otherwise, checks request and response against the OpenAPI document. */
    Reply send(HttpRequest request, boolean validate) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = isJson(type) && !body.isEmpty() ? JSON.readTree(body) : null;
            Reply reply = new Reply(r.statusCode(), r.headers().map(), body, json);
            if (validate) {
                validate(request, reply);
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean isJson(String contentType) {
        return contentType.split(";", 2)[0].contains("json");
    }

    private void validate(HttpRequest request, Reply reply) {
        URI u = request.uri();
        SimpleRequest.Builder rb = new SimpleRequest.Builder(Request.Method.valueOf(request.method()), u.getPath());
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                rb.withQueryParam(p[0], p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        request.headers().map().forEach(rb::withHeader);
        SimpleResponse.Builder sb = SimpleResponse.Builder.status(reply.status());
        reply.headers().forEach((k, v) -> sb.withHeader(k, v));
        if (isJson(reply.type()) || reply.type().startsWith("text/")) {
            sb.withBody(reply.body());
        } else if (!reply.body().isEmpty()) {
            sb.withBody("(binary)");
        }
        ValidationReport report = validator.validateResponse(u.getPath(), Request.Method.valueOf(request.method()),
                sb.build());
        // Requests the server refused may break the document on purpose (that is what the test checks).
        if (reply.status() < 400) {
            report = report.merge(validator.validateRequest(rb.build()).getMessages().stream()
                    .filter(m -> !m.getKey().startsWith("validation.request.body")) // bodies: the server checks them
                    .filter(m -> !m.getKey().startsWith("validation.request.security"))
                    .filter(m -> !m.getKey().startsWith("validation.request.accept")) // a browser's Accept on a redirect
                    .reduce(ValidationReport.empty(), (acc, m) -> acc.merge(ValidationReport.singleton(m)),
                            ValidationReport::merge));
        }
        if (report.hasErrors()) {
            synchronized (violations) {
                violations.add(request.method() + " " + u + " -> " + reply.status() + " " + reply.type() + ": "
                        + report.getMessages());
            }
        }
    }

    // ------------------------------------------------------------ audit rows

    /** One audit_log row. */
    record AuditRow(String principal, String clientAddress, String purpose, String outcome, String errorCode,
                    Long predictionId, JsonNode parameters, int images) {
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
                        predictionId, JSON.readTree(rs.getString(7)), rs.getInt(8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The newest audit row. */
    AuditRow lastAuditRow() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(id) FROM geopigeon.audit_log"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return auditRow(rs.getLong(1));
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

    /** An execute request for geolocate: images as qualified base64 values, the purpose, and more inputs. */
    static ObjectNode geolocate(String purpose, List<byte[]> images, String... more) {
        ObjectNode req = JSON.createObjectNode();
        ObjectNode in = req.putObject("inputs");
        ArrayNode imgs = in.putArray("image");
        for (byte[] b : images) {
            imgs.addObject().put("value", Base64.getEncoder().encodeToString(b)).put("mediaType", "image/jpeg");
        }
        if (purpose != null) {
            in.put("purpose", purpose);
        }
        for (int i = 0; i < more.length; i += 2) {
            in.set(more[i], parse(more[i + 1]));
        }
        return req;
    }

    static ObjectNode geolocate(String purpose, byte[] image, String... more) {
        return geolocate(purpose, List.of(image), more);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
