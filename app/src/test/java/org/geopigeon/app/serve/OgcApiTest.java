package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.geolocate;
import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.geopigeon.app.serve.RunningService.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.geopigeon.app.serve.RunningService.AuditRow;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OGC API - Processes - Part 1 (OGC 18-062r2) as clients see it: the abstract tests of OGC's executable test
 * suite (ets-ogcapi-processes10) serve as the checklist, run against geolocate and the echo process. Every
 * exchange is also checked against the server's OpenAPI document (see {@link RunningService}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OgcApiTest {

    private static final String CONF = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/";
    private static final String EXC = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/";
    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        svc = RunningService.start("ogcapi", b -> b.echoProcess(true));
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    // ------------------------------------------------------------------ core: landing page, conformance, api

    @Test
    void landingPageLinksToTheApiDefinitionConformanceProcessesAndJobs() {
        Reply r = svc.get("/", null, "Accept", "application/json");
        assertEquals(200, r.status());
        Set<String> rels = new HashSet<>();
        r.json().get("links").forEach(l -> rels.add(l.get("rel").asText()));
        assertTrue(rels.containsAll(Set.of("self", "service-desc", "http://www.opengis.net/def/rel/ogc/1.0/conformance",
                "http://www.opengis.net/def/rel/ogc/1.0/processes", "http://www.opengis.net/def/rel/ogc/1.0/job-list")),
                rels.toString());
        String desc = linkHref(r.json(), "service-desc");
        assertTrue(desc.startsWith("http://127.0.0.1:"), "links are absolute: " + desc);
        Reply api = svc.get(desc.substring(desc.indexOf('/', 8)), null);
        assertEquals("3.0.3", api.json().get("openapi").asText());
        assertTrue(api.type().startsWith("application/vnd.oai.openapi+json"), api.type());
    }

    @Test
    void aBrowserAskingForHtmlIsSentToTheViewer() {
        Reply r = svc.get("/", null, "Accept", "text/html,application/xhtml+xml");
        assertEquals(303, r.status());
        assertEquals("/viewer/", r.header("Location"));
    }

    @Test
    void conformanceDeclaresCoreProcessDescriptionJsonOas30JobListAndDismiss() {
        Reply r = svc.get("/conformance", null);
        Set<String> classes = new HashSet<>();
        r.json().get("conformsTo").forEach(c -> classes.add(c.asText()));
        assertEquals(Set.of(CONF + "core", CONF + "ogc-process-description", CONF + "json", CONF + "oas30",
                CONF + "job-list", CONF + "dismiss"), classes);
    }

    // ------------------------------------------------------------------ processes

    @Test
    void processListHonoursLimitAndLinksTheNextPage() {
        Reply first = svc.get("/processes?limit=1", null);
        assertEquals(1, first.json().get("processes").size());
        assertEquals("geolocate", first.json().get("processes").get(0).get("id").asText());
        String next = linkHref(first.json(), "next");
        Reply second = svc.get(next.substring(next.indexOf('/', 8)), null);
        assertEquals("echo", second.json().get("processes").get(0).get("id").asText());
        assertNull(linkHrefOrNull(second.json(), "next"), "no page after the last");
        assertEquals(400, svc.get("/processes?limit=0", null).status());
    }

    @Test
    void geolocateDescribesItsInputsOutputsAndJobControl() {
        JsonNode d = svc.get("/processes/geolocate", null).json();
        assertEquals("geolocate", d.get("id").asText());
        JsonNode image = d.get("inputs").get("image");
        assertEquals(1, image.get("minOccurs").asInt());
        assertEquals(4, image.get("maxOccurs").asInt());
        Set<String> types = new HashSet<>();
        image.get("schema").get("oneOf").forEach(s -> {
            types.add(s.get("contentMediaType").asText());
            assertEquals("base64", s.get("contentEncoding").asText());
        });
        assertEquals(Set.of("image/jpeg", "image/png", "image/webp"), types);
        assertEquals(1, d.get("inputs").get("purpose").get("minOccurs").asInt(), "purpose is required");
        assertEquals(50, d.get("inputs").get("topK").get("schema").get("maximum").asInt());
        assertEquals("boolean", d.get("inputs").get("store").get("schema").get("type").asText());
        JsonNode precision = d.get("inputs").get("precision");
        assertEquals(0, precision.get("minOccurs").asInt(), "precision is optional");
        assertEquals("auto", precision.get("schema").get("default").asText());
        assertEquals(List.of("auto", "fp32", "bf16", "fp16", "int8"), texts(precision.get("schema").get("enum")));
        String own = svc.bundle.backbone().precision().id();
        assertTrue(precision.get("description").asText().contains("the server's own, " + own),
                precision.get("description").asText());
        assertEquals(Set.of("cells", "location"), fieldNames(d.get("outputs")));
        assertTrue(d.get("jobControlOptions").toString().contains("async-execute"));
        assertTrue(linkHref(d, "http://www.opengis.net/def/rel/ogc/1.0/execute").endsWith("/processes/geolocate/execution"));
    }

    @Test
    void anUnknownProcessIsNoSuchProcess() {
        Reply r = svc.get("/processes/buffer", null, "Accept", "application/json");
        assertEquals(404, r.status());
        assertEquals(EXC + "no-such-process", r.json().get("type").asText());
        assertEquals("application/json", r.type(), "a client accepting only JSON gets the problem as application/json");
        Reply p = svc.execute("buffer", Role.ANALYST, parse("{\"inputs\":{}}"));
        assertEquals(404, p.status());
        assertTrue(p.type().startsWith("application/problem+json"), p.type());
    }

    // ------------------------------------------------------------------ synchronous execution

    @Test
    void synchronousDocumentExecutionReturnsCellsAndLocationAndIsAudited() throws Exception {
        ObjectNode req = geolocate("verifying a news photo", jpeg(1), "topK", "3", "store", "true");
        req.put("response", "document");
        Reply r = svc.execute("geolocate", Role.ANALYST, req);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.type().startsWith("application/json"), r.type());
        JsonNode cells = r.json().get("cells").get("value");
        assertEquals("application/geo+json", r.json().get("cells").get("mediaType").asText());
        assertEquals("FeatureCollection", cells.get("type").asText());
        assertEquals(3, cells.get("features").size());
        double last = 1;
        for (JsonNode f : cells.get("features")) {
            double p = f.get("properties").get("probability").asDouble();
            assertTrue(p <= last, "ranked by probability");
            last = p;
        }
        JsonNode location = r.json().get("location").get("value");
        assertEquals("Feature", location.get("type").asText());
        assertEquals("Point", location.get("geometry").get("type").asText());
        JsonNode props = location.get("properties");
        assertTrue(props.get("prediction_id").isNumber(), "stored");
        AuditRow row = svc.auditRow(props.get("audit_id").asLong());
        assertEquals("alice", row.principal());
        assertEquals("accepted", row.outcome());
        assertEquals("verifying a news photo", row.purpose());
        assertEquals("ogcapi", row.parameters().get("interface").asText());
        assertEquals("token", row.parameters().get("auth").asText());
        assertEquals("analyst", row.parameters().get("role").asText());
        assertEquals(props.get("prediction_id").asLong(), row.predictionId());
        assertEquals(1, row.images());
    }

    @Test
    void oneRawOutputIsSentAsItselfAndTwoAsMultipartRelated() {
        ObjectNode one = geolocate("checking raw output", jpeg(2), "store", "false");
        one.putObject("outputs").putObject("cells").put("transmissionMode", "value");
        Reply raw = svc.execute("geolocate", Role.ANALYST, one);
        assertEquals(200, raw.status(), raw.body());
        assertTrue(raw.type().startsWith("application/geo+json"), raw.type());
        assertEquals("FeatureCollection", raw.json().get("type").asText());

        Reply multi = svc.execute("geolocate", Role.ANALYST, geolocate("checking multipart", jpeg(3), "store", "false"));
        assertEquals(200, multi.status());
        assertTrue(multi.type().startsWith("multipart/related"), multi.type());
        assertTrue(multi.body().contains("Content-ID: <cells>") && multi.body().contains("Content-ID: <location>"),
                multi.body().substring(0, 300));
        assertTrue(multi.body().contains("\"FeatureCollection\"") && multi.body().contains("\"Point\""));
    }

    @Test
    void fourViewsAreOnePanorama() throws Exception {
        ObjectNode req = geolocate("street panorama", List.of(jpeg(4), jpeg(5), jpeg(6), jpeg(7)), "store", "false");
        req.put("response", "document");
        Reply r = svc.execute("geolocate", Role.ANALYST, req);
        assertEquals(200, r.status(), r.body());
        JsonNode props = r.json().get("location").get("value").get("properties");
        assertTrue(props.get("panorama").asBoolean());
        assertEquals(4, svc.auditRow(props.get("audit_id").asLong()).images());
    }

    @Test
    void theLocationCarriesThePhotosExifPositionAndTheDistanceToIt() throws Exception {
        byte[] photo = java.nio.file.Files.readAllBytes(RunningService.REPO.resolve("sample-data/photos/street_with_gps.jpg"));
        ObjectNode req = geolocate("checking a photo's GPS", photo, "store", "false");
        req.putObject("outputs").putObject("location");
        Reply r = svc.execute("geolocate", Role.ANALYST, req);
        assertEquals(200, r.status(), r.body());
        assertEquals("Feature", r.json().get("type").asText(), "one raw output: the Feature itself");
        JsonNode p = r.json().get("properties");
        JsonNode gps = p.get("exif_gps");
        double km = org.geopigeon.engine.geo.Haversine.km(gps.get("lat").asDouble(), gps.get("lon").asDouble(),
                p.get("lat").asDouble(), p.get("lon").asDouble());
        assertEquals(km, p.get("exif_distance_km").asDouble(), 0.01);
        assertEquals("exif", p.get("gps_source").asText(), "the position came from the EXIF GPS block");
    }

    @Test
    void aPositionFoundOnlyInTheXmpPacketSaysSoInTheLocationAndTheStoredPrediction() throws Exception {
        byte[] photo = java.nio.file.Files.readAllBytes(RunningService.REPO.resolve(
                "engine/src/test/resources/ingest/x01_xmp_dms_attributes.jpg"));
        ObjectNode req = geolocate("checking an XMP-only position", photo, "store", "true");
        req.putObject("outputs").putObject("location");
        Reply r = svc.execute("geolocate", Role.ANALYST, req);
        assertEquals(200, r.status(), r.body());
        JsonNode p = r.json().get("properties");
        assertEquals(48.858222, p.get("exif_gps").get("lat").asDouble(), 1e-6, "Paris, from the XMP packet");
        assertEquals("xmp", p.get("gps_source").asText());
        JsonNode stored = svc.get("/predictions/" + p.get("prediction_id").asLong(), Role.ANALYST).json();
        JsonNode estimate = stored.get("features").get(0).get("properties");
        assertEquals("xmp", estimate.get("gps_source").asText(), "read back from predicted_points");
        assertEquals(p.get("precision").asText(), estimate.get("precision").asText());
    }

    // ------------------------------------------------------------------ precision

    @Test
    void autoOrNothingRunsTheServersOwnPrecisionAndSaysSoInTheLocationTheAuditRowAndTheStoredPrediction()
            throws Exception {
        String own = svc.bundle.backbone().precision().id();
        for (String asked : new String[] {null, "\"auto\"", "\"" + own.toUpperCase(java.util.Locale.ROOT) + "\""}) {
            ObjectNode req = asked == null ? geolocate("precision " + asked, jpeg(8), "store", "true")
                    : geolocate("precision " + asked, jpeg(8), "store", "true", "precision", asked);
            req.putObject("outputs").putObject("location");
            Reply r = svc.execute("geolocate", Role.ANALYST, req);
            assertEquals(200, r.status(), r.body());
            JsonNode p = r.json().get("properties");
            assertEquals(own, p.get("precision").asText(), "asked " + asked);
            AuditRow row = svc.auditRow(p.get("audit_id").asLong());
            assertEquals(own, row.parameters().get("precision").asText());
            JsonNode stored = svc.get("/predictions/" + p.get("prediction_id").asLong(), Role.ANALYST).json();
            assertEquals(own, stored.get("features").get(0).get("properties").get("precision").asText());
        }
    }

    @Test
    void aRequestMayAskForAnotherPrecisionTheBundleHasWhichIsLoadedOnceAndShared() throws Exception {
        String own = svc.bundle.backbone().precision().id();
        String other = own.equals("int8") ? "fp32" : "int8";
        JsonNode first = null;
        for (int i = 0; i < 2; i++) {
            ObjectNode req = geolocate("precision " + other, jpeg(9), "store", "false", "precision", "\"" + other + "\"");
            req.putObject("outputs").putObject("location");
            Reply r = svc.execute("geolocate", Role.ANALYST, req);
            assertEquals(200, r.status(), r.body());
            JsonNode p = r.json().get("properties");
            assertEquals(other, p.get("precision").asText());
            AuditRow row = svc.auditRow(p.get("audit_id").asLong());
            assertEquals(other, row.parameters().get("precision").asText());
            assertEquals(other, row.parameters().get("precision_requested").asText());
            if (first == null) {
                first = p;
            } else {
                assertEquals(first.get("lat").asDouble(), p.get("lat").asDouble(), 0, "the same model answered");
            }
        }
        assertTrue(svc.server.models().precisions().contains(org.geopigeon.engine.model.Precision.parse(other)));
    }


    // ------------------------------------------------------------------ bad input

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputsAre400ProblemsNamingTheInputAndEachIsAudited() throws Exception {
        check(parse("{\"inputs\":{\"image\":\"not base64!!\",\"purpose\":\"x\"}}"), 400, "INVALID_IMAGE", "base64");
        check(parse("{\"inputs\":{\"picture\":\"AAAA\"}}"), 400, "INVALID_PARAMETER", "unknown input 'picture'");
        check(geolocate("p", jpeg(1), "topK", "\"many\""), 400, "INVALID_TOP_K", "topK");
        check(geolocate("p", jpeg(1), "topK", "99"), 400, "INVALID_TOP_K", "50");
        check(geolocate("p", jpeg(1), "store", "\"maybe\""), 400, "INVALID_PARAMETER", "store");
        check(geolocate("p", jpeg(1), "precision", "\"fp8\""), 400, "INVALID_PRECISION", "unknown precision 'fp8'");
        check(geolocate("p", jpeg(1), "precision", "16"), 400, "INVALID_PRECISION", "must be a string");
        check(geolocate("p", jpeg(1), "precision", "\"fp16\""), 400, "INVALID_PRECISION", "CUDA GPU");
        check(geolocate(null, jpeg(1)), 400, "INVALID_PURPOSE", "purpose");
        check(geolocate("p", List.of(jpeg(1), jpeg(2))), 400, "INVALID_IMAGE_COUNT", "4 views");
        check(geolocate("p", new byte[] {1, 2, 3}), 415, "INVALID_IMAGE", "image 1 of 1");
        check(parse("{\"inputs\":{\"image\":\"AAAA\"},\"mode\":\"fast\"}"), 400, "INVALID_REQUEST", "unknown member 'mode'");
        check("{\"inputs\":", 400, "INVALID_JSON", "not valid JSON");
        check(parse("{\"inputs\":{\"image\":{\"value\":\"AAAA\",\"mediaType\":\"text/plain\"},\"purpose\":\"p\"}}"), 415,
                "INVALID_IMAGE", "text/plain");
    }

    private void check(JsonNode request, int status, String code, String detailPart) throws Exception {
        check(request.toString(), status, code, detailPart);
    }

    private void check(String request, int status, String code, String detailPart) throws Exception {
        long rows = svc.auditRowCount();
        Reply r = svc.post("/processes/geolocate/execution", Role.ANALYST, "application/json",
                request.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Accept", "application/json");
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("code").asText(), r.body());
        assertTrue(r.json().get("detail").asText().contains(detailPart), r.body());
        assertTrue(r.type().startsWith("application/json"), r.type());
        assertFalse(r.body().contains("Exception") || r.body().contains("java."), "no Java in answers: " + r.body());
        assertEquals(rows + 1, svc.auditRowCount(), "exactly one audit row for " + request);
        AuditRow row = svc.auditRow(r.json().get("audit_id").asLong());
        assertEquals("alice", row.principal());
        assertFalse(row.outcome().equals("accepted"));
    }

    @Test
    void inputsByReferenceAreRefusedUnlessTheirHostIsAllowed() throws Exception {
        Reply r = svc.execute("geolocate", Role.ANALYST, parse("{\"inputs\":{\"purpose\":\"p\",\"image\":"
                + "{\"href\":\"http://169.254.169.254/latest/meta-data/\",\"type\":\"image/jpeg\"}}}"));
        assertEquals(400, r.status());
        assertEquals("HREF_NOT_ALLOWED", r.json().get("code").asText());
        assertTrue(r.json().get("detail").asText().contains("169.254.169.254"), r.body());
        assertEquals("refused", svc.auditRow(r.json().get("audit_id").asLong()).outcome());
    }

    @Test
    void anInputByReferenceFromAnAllowedHostIsFetched() throws Exception {
        byte[] photo = jpeg(12);
        com.sun.net.httpserver.HttpServer images = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/photo.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, photo.length);
            ex.getResponseBody().write(photo);
            ex.close();
        });
        images.start();
        try (GeoPigeonServer allowing = RunningService.start(RunningService.settings().toBuilder()
                .allowedHrefHosts(Set.of("127.0.0.1")).build(), svc.bundle, svc.db.dataSource())) {
            ObjectNode req = (ObjectNode) parse("{\"inputs\":{\"purpose\":\"by reference\",\"store\":false,\"image\":"
                    + "{\"href\":\"http://127.0.0.1:" + images.getAddress().getPort() + "/photo.jpg\"}},"
                    + "\"response\":\"document\"}");
            Reply r = svc.send(java.net.http.HttpRequest.newBuilder(allowing.uri().resolve("processes/geolocate/execution"))
                    .header("Authorization", "Bearer " + svc.token(Role.ANALYST)).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RunningService.bytes(req))).build(), false);
            assertEquals(200, r.status(), r.body());
            assertEquals(1, r.json().get("location").get("value").get("properties").get("image_sha256").size());
        } finally {
            images.stop(0);
        }
    }

    // ------------------------------------------------------------------ asynchronous execution and jobs

    @Test
    void anAsynchronousExecutionIsAJobPolledToItsResults() throws Exception {
        ObjectNode req = geolocate("async check", jpeg(8), "store", "false");
        req.put("response", "document");
        Reply created = svc.execute("geolocate", Role.ANALYST, req, "Prefer", "respond-async");
        assertEquals(201, created.status(), created.body());
        assertEquals("respond-async", created.header("Preference-Applied"));
        String location = created.header("Location");
        assertTrue(location.matches("http://127\\.0\\.0\\.1:\\d+/jobs/[0-9a-f-]{36}"), location);
        assertEquals("accepted", created.json().get("status").asText());
        String path = location.substring(location.indexOf("/jobs/"));
        JsonNode status = poll(path, Role.ANALYST);
        assertEquals("successful", status.get("status").asText());
        assertEquals(100, status.get("progress").asInt());
        String results = linkHref(status, "http://www.opengis.net/def/rel/ogc/1.0/results");
        Reply res = svc.get(results.substring(results.indexOf("/jobs/")), Role.ANALYST);
        assertEquals(200, res.status());
        JsonNode props = res.json().get("location").get("value").get("properties");
        AuditRow row = svc.auditRow(props.get("audit_id").asLong());
        assertEquals(created.json().get("jobID").asText(), row.parameters().get("job_id").asText());

        // the owner and those who see everyone's jobs see it; another analyst and viewers do not
        assertEquals(200, svc.get(path, Role.AUDITOR).status());
        assertEquals(200, svc.get(path, Role.ADMIN).status());
        assertEquals(403, svc.get(path, Role.VIEWER).status());
        assertTrue(jobIds(svc.get("/jobs?limit=100", Role.ANALYST).json()).contains(created.json().get("jobID").asText()));
    }

    @Test
    void resultsOfAnUnfinishedJobAreNotReadyAndADismissedJobIsGone() {
        Reply created = svc.execute("echo", Role.ANALYST, parse("{\"inputs\":{\"stringInput\":\"teststring\","
                + "\"pause\":5}}"), "Prefer", "respond-async");
        assertEquals(201, created.status(), created.body());
        String path = "/jobs/" + created.json().get("jobID").asText();
        Reply notReady = svc.get(path + "/results", Role.ANALYST);
        assertEquals(404, notReady.status());
        assertEquals(EXC + "result-not-ready", notReady.json().get("type").asText());
        Reply dismissed = svc.delete(path, Role.ANALYST);
        assertEquals(200, dismissed.status(), dismissed.body());
        assertEquals("dismissed", dismissed.json().get("status").asText());
        assertEquals("dismissed", svc.get(path, Role.ANALYST).json().get("status").asText());
        Reply gone = svc.get(path + "/results", Role.ANALYST);
        assertEquals(404, gone.status());
        assertEquals(EXC + "no-such-job", gone.json().get("type").asText());
        Reply again = svc.delete(path, Role.ANALYST);
        assertEquals(200, again.status(), "dismissing twice is idempotent and agrees with GET: " + again.body());
        assertEquals("dismissed", again.json().get("status").asText());
        assertEquals(EXC + "no-such-job", svc.get("/jobs/not-a-job", Role.ANALYST).json().get("type").asText());
    }

    @Test
    void aFailedJobAnswersItsResultsWithItsProblem() throws Exception {
        Reply created = svc.execute("geolocate", Role.ANALYST, geolocate("  ", jpeg(9)), "Prefer", "respond-async");
        assertEquals(201, created.status(), created.body());
        String path = "/jobs/" + created.json().get("jobID").asText();
        assertEquals("failed", poll(path, Role.ANALYST).get("status").asText());
        Reply res = svc.get(path + "/results", Role.ANALYST);
        assertEquals(400, res.status());
        assertEquals("INVALID_PURPOSE", res.json().get("code").asText());
        assertEquals("refused", svc.auditRow(res.json().get("audit_id").asLong()).outcome());
    }

    @Test
    void theJobListFiltersByProcessAndStatusAndPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Reply r = svc.execute("echo", Role.ANALYST, parse("{\"inputs\":{\"stringInput\":\"s" + i + "\"}}"),
                    "Prefer", "respond-async");
            ids.add(r.json().get("jobID").asText());
        }
        ids.forEach(id -> poll("/jobs/" + id, Role.ANALYST));
        JsonNode page = svc.get("/jobs?processID=echo&status=successful&limit=2", Role.ANALYST).json();
        assertEquals(2, page.get("jobs").size());
        page.get("jobs").forEach(j -> {
            assertEquals("echo", j.get("processID").asText());
            assertEquals("successful", j.get("status").asText());
        });
        String next = linkHref(page, "next");
        JsonNode rest = svc.get(next.substring(next.indexOf("/jobs")), Role.ANALYST).json();
        assertTrue(rest.get("jobs").size() >= 1);
        assertEquals(400, svc.get("/jobs?status=finished", Role.ANALYST).status());
    }

    // ------------------------------------------------------------------ echo (the test suite's process)

    @Test
    void echoReturnsItsInputsRawOrAsADocument() {
        Reply one = svc.execute("echo", Role.ANALYST, parse("{\"inputs\":{\"stringInput\":\"teststring\"},"
                + "\"outputs\":{\"stringOutput\":{\"transmissionMode\":\"value\"}},\"response\":\"raw\"}"));
        assertEquals(200, one.status());
        assertTrue(one.type().startsWith("text/plain"), one.type());
        assertEquals("teststring", one.body());
        Reply doc = svc.execute("echo", Role.ANALYST, parse("{\"inputs\":{\"stringInput\":\"a\",\"arrayInput\":[1,2,3],"
                + "\"complexObjectInput\":{\"value\":\"teststring\"}},\"response\":\"document\"}"));
        assertEquals(200, doc.status(), doc.body());
        assertEquals("[1,2,3]", doc.json().get("arrayOutput").get("value").toString());
        assertEquals("teststring", doc.json().get("complexObjectOutput").get("value").get("value").asText());
        Reply bad = svc.execute("echo", Role.ANALYST, parse("{\"inputs\":{\"stringInput\":\"a\",\"imagesInput\":"
                + "{\"type\":\"wrong/type\"}}}"), "Accept", "application/json");
        assertEquals(400, bad.status());
        assertEquals("application/json", bad.type());
        assertEquals(400, svc.execute("echo", Role.ANALYST, parse("{\"invalid-execute-request\":\"true\"}")).status());
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode poll(String path, Role as) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Reply r = svc.get(path, as);
            assertEquals(200, r.status(), r.body());
            String s = r.json().get("status").asText();
            if (!s.equals("accepted") && !s.equals("running")) {
                return r.json();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + path + " did not finish in 60 s");
    }

    static Set<String> jobIds(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.get("jobs").forEach(j -> ids.add(j.get("jobID").asText()));
        return ids;
    }

    static String linkHref(JsonNode doc, String rel) {
        String h = linkHrefOrNull(doc, rel);
        assertNotNull(h, "no link " + rel + " in " + doc);
        return h;
    }

    static String linkHrefOrNull(JsonNode doc, String rel) {
        for (JsonNode l : doc.get("links")) {
            if (l.get("rel").asText().equals(rel)) {
                return l.get("href").asText();
            }
        }
        return null;
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
