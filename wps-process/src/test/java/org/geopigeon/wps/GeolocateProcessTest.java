package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.Outcome;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.TestImages;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.geoserver.wps.process.RawData;
import org.geotools.api.data.Parameter;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.util.ProgressListener;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.geotools.data.util.DefaultProgressListener;
import org.geotools.feature.NameImpl;
import org.geotools.process.Process;
import org.geotools.process.ProcessException;
import org.geotools.process.ProcessFactory;
import org.geotools.process.Processors;
import org.geotools.referencing.CRS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;

/**
 * geopigeon:Geolocate called exactly as GeoServer calls it ({@code Processors.createProcess(name).execute}),
 * with raw image data as GeoServer's StreamRawData hands it over (declared mime type, a stream readable once),
 * the real engine, the demo bundle and a real PostGIS. Configuration comes from system properties, as in a
 * GeoServer deployment.
 */
class GeolocateProcessTest {

    private static final NameImpl NAME = new NameImpl("geopigeon", "Geolocate");
    private static TestDatabase db;

    @BeforeAll
    static void configure() {
        db = ThrowawayPostgis.get().createMigratedDatabase("wps");
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
        System.setProperty("geopigeon.busyWaitMillis", "60000");
    }

    @AfterAll
    static void unconfigure() {
        System.clearProperty("geopigeon.jdbc.url");
        System.clearProperty("geopigeon.busyWaitMillis");
    }

    @BeforeEach
    void healthyDatabase() {
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
    }

    @AfterEach
    void defaultLimits() {
        System.clearProperty("geopigeon.maxImageBytes");
    }

    private static StreamRawData raw(String mimeType, byte[] bytes) {
        return new StreamRawData(mimeType, bytes);
    }

    private static StreamRawData photo(String sample, String mimeType) {
        return raw(mimeType, TestImages.samplePhotoBytes(sample));
    }

    private static Map<String, Object> inputs(List<? extends RawData> images, String purpose, Integer topK,
                                              Boolean store) {
        Map<String, Object> in = new HashMap<>();
        in.put("image", images);
        in.put("purpose", purpose);
        if (topK != null) {
            in.put("topK", topK);
        }
        if (store != null) {
            in.put("store", store);
        }
        return in;
    }

    private static Map<String, Object> execute(Map<String, Object> inputs, ProgressListener listener) {
        Process process = Processors.createProcess(NAME);
        assertNotNull(process, "geopigeon:Geolocate is registered through META-INF/services");
        return process.execute(inputs, listener);
    }

    private static SimpleFeature location(Map<String, Object> out) {
        SimpleFeatureCollection location = (SimpleFeatureCollection) out.get("location");
        assertEquals(1, location.size());
        try (SimpleFeatureIterator it = location.features()) {
            return it.next();
        }
    }

    @Test
    void aBadEngineSettingRefusesEveryExecuteNamingTheSetting() {
        String old = System.getProperty("geopigeon.device");
        System.setProperty("geopigeon.device", "gpu");
        try {
            ProcessException e = assertThrows(ProcessException.class, () -> execute(
                    inputs(List.of(raw("image/jpeg", new byte[] {1, 2, 3})), "p", 5, false), null));
            assertEquals("geopigeon:Geolocate is not configured: invalid setting: system property geopigeon.device"
                    + " must be 'auto' (the first GPU libtorch sees, else the CPU) or 'cpu' (force the CPU), got"
                    + " 'gpu'", e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("geopigeon.device");
            } else {
                System.setProperty("geopigeon.device", old);
            }
        }
    }

    @Test
    void isDescribedWithRawImageInputOfTheThreeFormats() {
        ProcessFactory factory = Processors.createProcessFactory(NAME);
        assertTrue(factory instanceof GeoPigeonProcessFactory);
        Map<String, Parameter<?>> params = factory.getParameterInfo(NAME);
        assertEquals(List.of("image", "purpose", "topK", "store"), new ArrayList<>(params.keySet()));
        Parameter<?> image = params.get("image");
        assertEquals(RawData.class, image.getType(), "GeoServer's raw data, not a decoded RenderedImage");
        assertEquals("image/jpeg,image/png,image/webp", image.metadata.get("mimeTypes"));
        assertEquals(1, image.getMinOccurs());
        assertEquals(4, image.getMaxOccurs());
        assertEquals(1, params.get("purpose").getMinOccurs());
        assertEquals(5, params.get("topK").getDefaultValue());
        assertEquals(1, ((Number) params.get("topK").metadata.get(Parameter.MIN)).intValue());
        assertEquals(50, ((Number) params.get("topK").metadata.get(Parameter.MAX)).intValue());
        Map<String, Parameter<?>> results = factory.getResultInfo(NAME, null);
        assertEquals(List.of("cells", "location", "predictionId"), new ArrayList<>(results.keySet()));
    }

    @Test
    void aPortraitJpegWithOrientation6AndGpsIsLocatedUprightWithItsGpsReturnedAndStored() throws Exception {
        byte[] bytes = TestImages.samplePhotoBytes("portrait_gps_orientation6.jpg");
        DecodedImage upright = new ImageDecoder().decode(bytes, "portrait");
        assertEquals(480, upright.width(), "the decoder turns the stored 640 x 480 upright");
        long auditBefore = count("SELECT count(*) FROM geopigeon.audit_log");
        DefaultProgressListener progress = new DefaultProgressListener();
        StreamRawData input = raw("image/jpeg", bytes);

        Map<String, Object> out = execute(inputs(List.of(input), "checking a photo's claimed location", 4, true),
                progress);

        assertEquals(1, input.timesOpened(), "the stream is read once");
        String predictionId = (String) out.get("predictionId");
        assertFalse(predictionId.isEmpty());
        assertTrue(progress.isCompleted());
        assertEquals(100f, progress.getProgress(), 1e-3);

        SimpleFeatureCollection cells = (SimpleFeatureCollection) out.get("cells");
        assertEquals(4, cells.size());
        assertTrue(CRS.equalsIgnoreMetadata(CRS.decode("EPSG:4326", true),
                cells.getSchema().getCoordinateReferenceSystem()));
        double previous = 1.0;
        int rank = 1;
        try (SimpleFeatureIterator it = cells.features()) {
            while (it.hasNext()) {
                SimpleFeature f = it.next();
                assertTrue(f.getDefaultGeometry() instanceof MultiPolygon);
                assertEquals(rank++, f.getAttribute("rank"));
                double p = (Double) f.getAttribute("probability");
                assertTrue(p <= previous && p > 0, "probabilities descend");
                previous = p;
                assertFalse(((String) f.getAttribute("cell_id")).isEmpty());
            }
        }
        SimpleFeature point = location(out);
        Point estimate = (Point) point.getDefaultGeometry();
        assertEquals(predictionId, point.getAttribute("predictionId"));
        assertEquals(PixelHash.sha256(upright.rgb()), point.getAttribute("image_sha256"),
                "the model saw the upright portrait pixels");
        assertEquals(38.7077, (Double) point.getAttribute("exif_lat"), 1e-4);
        assertEquals(-9.1365, (Double) point.getAttribute("exif_lon"), 1e-4);
        assertEquals(Haversine.km(estimate.getY(), estimate.getX(), 38.7077, -9.1365),
                (Double) point.getAttribute("exif_distance_km"), 0.05);
        assertEquals(Boolean.FALSE, point.getAttribute("trained"), "the demo bundle says it is untrained");
        assertEquals("exif", point.getAttribute("gps_source"), "the position came from the EXIF GPS block");
        assertNotNull(point.getAttribute("precision"), "the precision that ran is an attribute");
        double confidence = (Double) point.getAttribute("confidence");
        assertTrue(confidence >= 0 && confidence <= 1);

        long id = Long.parseLong(predictionId);
        assertEquals(4, count("SELECT count(*) FROM geopigeon.prediction_cells WHERE prediction_id = " + id));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predicted_points WHERE prediction_id = " + id));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + id
                + " AND ST_DWithin(location, ST_SetSRID(ST_MakePoint(" + estimate.getX() + ", " + estimate.getY()
                + "), 4326), 1e-6) AND abs(ST_Y(exif) - 38.7077) < 1e-4 AND abs(ST_X(exif) + 9.1365) < 1e-4"
                + " AND (timings->>'decodeMs')::float8 > 0"));
        assertEquals(auditBefore + 1, count("SELECT count(*) FROM geopigeon.audit_log"));
        AuditRecord audit = lastAudit();
        assertEquals(Outcome.ACCEPTED, audit.outcome());
        assertEquals(id, audit.predictionId());
        assertEquals(point.getAttribute("audit_id"), audit.id());
        assertEquals("anonymous", audit.principal());
        assertEquals("checking a photo's claimed location", audit.purpose());
        assertEquals(List.of(PixelHash.sha256(upright.rgb())), audit.imageSha256());
        assertTrue(audit.parameters().contains("\"interface\": \"wps\""), audit.parameters());
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void theConfiguredPrecisionRunsAndAnXmpOnlyPositionSaysSoInTheFeatureAndTheDatabase() throws Exception {
        System.setProperty("geopigeon.precision", "int8");
        try {
            byte[] xmpOnly = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                    "../engine/src/test/resources/ingest/x02_xmp_ddmm_elements_south_west.jpg"));
            Map<String, Object> out = execute(inputs(List.of(raw("image/jpeg", xmpOnly)), "where was this taken", 2,
                    true), null);
            SimpleFeature point = location(out);
            assertEquals("int8", point.getAttribute("precision"), "geopigeon.precision chose the backbone");
            assertEquals("xmp", point.getAttribute("gps_source"));
            assertNotNull(point.getAttribute("exif_lat"));
            long id = Long.parseLong((String) out.get("predictionId"));
            assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + id
                    + " AND precision = 'int8' AND gps_source = 'xmp'"));
            AuditRecord audit = lastAudit();
            assertTrue(audit.parameters().replace(" ", "").contains("\"precision\":\"int8\""), audit.parameters());
        } finally {
            System.clearProperty("geopigeon.precision");
        }
    }

    @Test
    void pngAndWebpAreLocatedToo() throws Exception {
        for (String[] c : new String[][] {{"countryside.png", "image/png"}, {"harbour.webp", "image/webp"}}) {
            Map<String, Object> out = execute(inputs(List.of(photo(c[0], c[1])), "format check", 2, false), null);
            SimpleFeature point = location(out);
            assertEquals("", out.get("predictionId"), "store=false");
            assertNull(point.getAttribute("exif_lat"), c[0] + " has no GPS");
            assertNull(point.getAttribute("exif_distance_km"));
            assertEquals(2, ((SimpleFeatureCollection) out.get("cells")).size());
            AuditRecord audit = lastAudit();
            assertEquals(Outcome.ACCEPTED, audit.outcome());
            assertTrue(audit.parameters().contains(c[1]), "declared type audited: " + audit.parameters());
        }
    }

    @Test
    void aPanoramaOfFourViewsWithoutStoringReturnsAnEmptyPredictionId() throws Exception {
        long predictionsBefore = count("SELECT count(*) FROM geopigeon.predictions");
        List<StreamRawData> views = new ArrayList<>();
        for (String heading : new String[] {"000", "090", "180", "270"}) {
            views.add(photo("panorama_" + heading + ".jpg", "image/jpeg"));
        }
        Map<String, Object> out = execute(inputs(views, "panorama survey", null, false), null);
        assertEquals("", out.get("predictionId"));
        assertEquals(5, ((SimpleFeatureCollection) out.get("cells")).size(), "default topK");
        assertEquals(predictionsBefore, count("SELECT count(*) FROM geopigeon.predictions"));
        AuditRecord audit = lastAudit();
        assertEquals(Outcome.ACCEPTED, audit.outcome());
        assertEquals(4, audit.imageSha256().size());
        assertEquals(String.join(",", audit.imageSha256()), location(out).getAttribute("image_sha256"));
        assertTrue(audit.parameters().contains("\"panorama\": true"), audit.parameters());
    }

    @Test
    void everyRefusalIsAClearProcessExceptionWithARefusedAuditRowAndNothingStored() throws Exception {
        byte[] jpeg = TestImages.samplePhotoBytes("street_with_gps.jpg");
        byte[] tiny = TestImages.png(TestImages.scene(16, 16, 1));
        Object[][] cases = {
            {inputs(List.of(raw("image/png", jpeg)), "p", 5, true), "INVALID_IMAGE",
                "declared as image/png but its bytes are a JPEG image"},
            {inputs(List.of(raw("image/png", TestImages.pngBombHeader(100_000, 100_000))), "p", 5, true),
                "INVALID_IMAGE", "100000 x 100000"},
            {inputs(List.of(raw("image/png", tiny)), "p", 5, true), "INVALID_IMAGE", "16 x 16"},
            {inputs(List.of(raw("image/jpeg", new byte[0])), "p", 5, true), "INVALID_IMAGE", "empty"},
            {inputs(List.of(raw("image/jpeg", jpeg), raw("image/jpeg", jpeg)), "p", 5, true), "INVALID_IMAGE_COUNT",
                "got 2"},
            {inputs(List.of(raw("image/jpeg", jpeg)), "   ", 5, true), "INVALID_PURPOSE", "purpose is required"},
            {inputs(List.of(raw("image/jpeg", jpeg)), "p", 0, true), "INVALID_TOP_K", "between 1 and 50"},
            {inputs(List.of(raw("image/jpeg", jpeg)), "p", 500, true), "INVALID_TOP_K", "got 500"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> in = (Map<String, Object>) c[0];
            assertRefusedAndNothingStored(in, (String) c[1], (String) c[2]);
        }
    }

    @Test
    void moreBytesThanTheConfiguredLimitAreRefusedBeforeDecoding() throws Exception {
        System.setProperty("geopigeon.maxImageBytes", "20000");
        byte[] jpeg = TestImages.samplePhotoBytes("street_with_gps.jpg");
        assertTrue(jpeg.length > 20000);
        ProcessException e = assertRefusedAndNothingStored(inputs(List.of(raw("image/jpeg", jpeg)), "p", 5, true),
                "INVALID_IMAGE", "more than the limit of 20000 bytes");
        assertTrue(lastAudit().parameters().contains("TOO_LARGE"), lastAudit().parameters());
        assertNull(e.getCause());
    }

    private ProcessException assertRefusedAndNothingStored(Map<String, Object> in, String code, String words)
            throws SQLException {
        long predictions = count("SELECT count(*) FROM geopigeon.predictions");
        long cells = count("SELECT count(*) FROM geopigeon.prediction_cells");
        long audits = count("SELECT count(*) FROM geopigeon.audit_log");
        ProcessException e = assertThrows(ProcessException.class, () -> execute(in, null), code);
        assertTrue(e.getMessage().startsWith(code + ": ") && e.getMessage().contains(words), e.getMessage());
        assertNull(e.getCause(), "GeoServer prints cause chains to clients: there is none");
        assertEquals(predictions, count("SELECT count(*) FROM geopigeon.predictions"));
        assertEquals(cells, count("SELECT count(*) FROM geopigeon.prediction_cells"));
        assertEquals(audits + 1, count("SELECT count(*) FROM geopigeon.audit_log"));
        AuditRecord audit = lastAudit();
        assertEquals(Outcome.REFUSED, audit.outcome());
        assertEquals(code, audit.errorCode());
        return e;
    }

    @Test
    void fiveImagesAreRejectedByGeoToolsBeforeTheProcessRuns() throws Exception {
        long audits = count("SELECT count(*) FROM geopigeon.audit_log");
        byte[] png = TestImages.png(TestImages.scene(64, 64, 1));
        List<StreamRawData> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(raw("image/png", png));
        }
        ProcessException e = assertThrows(ProcessException.class, () -> execute(inputs(five, "p", 5, true), null));
        assertTrue(e.getMessage().contains("image"), e.getMessage());
        // The declared max of 4 is enforced by the framework (GeoServer refuses it while parsing the request):
        // the process never sees the request, so there is nothing it could audit.
        assertEquals(audits, count("SELECT count(*) FROM geopigeon.audit_log"));
    }

    @Test
    void missingPurposeIsRejectedAsARequiredInput() {
        Map<String, Object> in = inputs(List.of(photo("countryside.png", "image/png")), null, 5, true);
        in.remove("purpose");
        ProcessException e = assertThrows(ProcessException.class, () -> execute(in, null));
        assertTrue(e.getMessage().contains("purpose"), e.getMessage());
    }

    @Test
    void cancellationIsHonouredBetweenStagesAndAudited() throws Exception {
        DefaultProgressListener listener = new DefaultProgressListener();
        listener.setCanceled(true);
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo("countryside.png", "image/png")), "p", 5, true), listener));
        assertTrue(e.getMessage().contains("CANCELLED"), e.getMessage());
        assertEquals(Outcome.FAILED, lastAudit().outcome());
        assertEquals("CANCELLED", lastAudit().errorCode());
    }

    @Test
    void withTheDatabaseStoppedNothingIsReturnedAndTheClientSeesAnIncidentNotSql() throws Exception {
        long predictions = count("SELECT count(*) FROM geopigeon.predictions");
        System.setProperty("geopigeon.jdbc.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/geopigeon?user=x");
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo("countryside.png", "image/png")), "p", 5, true), null));
        assertTrue(e.getMessage().contains("STORE_FAILED") && e.getMessage().contains("withheld")
                && e.getMessage().contains("incident"), e.getMessage());
        for (String leak : new String[] {"Exception", "SQL", "jdbc:", "org.", "127.0.0.1"}) {
            assertFalse(e.getMessage().contains(leak), leak + " in " + e.getMessage());
        }
        assertNull(e.getCause());
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
        assertEquals(predictions, count("SELECT count(*) FROM geopigeon.predictions"));
    }

    @Test
    void withoutAConfiguredDatabaseTheProcessRefusesToRun() {
        System.clearProperty("geopigeon.jdbc.url");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("GEOPIGEON_JDBC_URL") == null);
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo("countryside.png", "image/png")), "p", 5, true), null));
        assertTrue(e.getMessage().contains("geopigeon.jdbc.url"), e.getMessage());
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort(); // closed again when this returns
        }
    }

    private static AuditRecord lastAudit() {
        List<AuditRecord> rows = new AuditLog(db.dataSource()).list(null, 10_000);
        return rows.get(rows.size() - 1);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
