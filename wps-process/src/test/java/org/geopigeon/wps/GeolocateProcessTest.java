package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.Outcome;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;

/**
 * geopigeon:Geolocate called exactly as GeoServer calls it, with the real engine, the demo bundle and
 * a real PostGIS. Configuration comes from system properties, as in a GeoServer deployment.
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

    /** A synthetic street-like picture; the demo model is untrained, so any content will do. */
    private static BufferedImage photo(int seed) {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int r = (x * seed + y) & 0xFF;
                int g = y < 120 ? 180 : (x ^ y) & 0xFF;
                int b = y < 120 ? 230 : 60;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static Map<String, Object> inputs(List<RenderedImage> images, String purpose, Integer topK, Boolean store) {
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

    @Test
    void isDescribedWithTheDeclaredParametersAndResults() {
        ProcessFactory factory = Processors.createProcessFactory(NAME);
        assertTrue(factory instanceof GeoPigeonProcessFactory);
        Map<String, Parameter<?>> params = factory.getParameterInfo(NAME);
        assertEquals(List.of("image", "purpose", "topK", "store"), new ArrayList<>(params.keySet()));
        assertEquals(RenderedImage.class, params.get("image").getType());
        assertEquals(1, params.get("image").getMinOccurs());
        assertEquals(4, params.get("image").getMaxOccurs());
        assertEquals(1, params.get("purpose").getMinOccurs());
        assertEquals(5, params.get("topK").getDefaultValue());
        assertEquals(1, ((Number) params.get("topK").metadata.get(Parameter.MIN)).intValue());
        assertEquals(50, ((Number) params.get("topK").metadata.get(Parameter.MAX)).intValue());
        Map<String, Parameter<?>> results = factory.getResultInfo(NAME, null);
        assertEquals(List.of("cells", "location", "predictionId"), new ArrayList<>(results.keySet()));
    }

    @Test
    void locatesAPhotoStoresItAndReportsProgress() throws Exception {
        long auditBefore = count("SELECT count(*) FROM geopigeon.audit_log");
        DefaultProgressListener progress = new DefaultProgressListener();
        Map<String, Object> out = execute(inputs(List.of(photo(3)), "checking a photo's claimed location", 4, true),
                progress);

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
        SimpleFeatureCollection location = (SimpleFeatureCollection) out.get("location");
        assertEquals(1, location.size());
        SimpleFeature point;
        try (SimpleFeatureIterator it = location.features()) {
            point = it.next();
        }
        assertTrue(point.getDefaultGeometry() instanceof Point);
        assertEquals(predictionId, point.getAttribute("predictionId"));
        double confidence = (Double) point.getAttribute("confidence");
        assertTrue(confidence >= 0 && confidence <= 1);

        long id = Long.parseLong(predictionId);
        assertEquals(4, count("SELECT count(*) FROM geopigeon.prediction_cells WHERE prediction_id = " + id));
        assertEquals(4, count("SELECT count(*) FROM geopigeon.predicted_cells WHERE prediction_id = " + id));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predicted_points WHERE prediction_id = " + id));
        Point stored = (Point) point.getDefaultGeometry();
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + id
                + " AND ST_DWithin(location, ST_SetSRID(ST_MakePoint(" + stored.getX() + ", " + stored.getY()
                + "), 4326), 1e-9)"));
        assertEquals(auditBefore + 1, count("SELECT count(*) FROM geopigeon.audit_log"));
        AuditRecord audit = lastAudit();
        assertEquals(Outcome.ACCEPTED, audit.outcome());
        assertEquals(id, audit.predictionId());
        assertEquals("anonymous", audit.principal());
        assertEquals("checking a photo's claimed location", audit.purpose());
        assertTrue(audit.parameters().contains("\"interface\": \"wps\""), audit.parameters());
        assertEquals("MULTIPOLYGON:4326", geometryColumn("predicted_cells"));
        assertEquals("POINT:4326", geometryColumn("predicted_points"));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void panoramaOfFourViewsWithoutStoringReturnsAnEmptyPredictionId() throws Exception {
        long predictionsBefore = count("SELECT count(*) FROM geopigeon.predictions");
        Map<String, Object> out = execute(inputs(List.of(photo(1), photo(2), photo(3), photo(4)), "panorama survey",
                null, false), null);
        assertEquals("", out.get("predictionId"));
        assertEquals(5, ((SimpleFeatureCollection) out.get("cells")).size(), "default topK");
        assertEquals(predictionsBefore, count("SELECT count(*) FROM geopigeon.predictions"));
        AuditRecord audit = lastAudit();
        assertEquals(Outcome.ACCEPTED, audit.outcome());
        assertEquals(4, audit.imageSha256().size());
        assertTrue(audit.parameters().contains("\"panorama\": true"), audit.parameters());
    }

    @Test
    void badInputIsAClearProcessExceptionWithARefusedAuditRowAndNothingStored() throws Exception {
        BufferedImage onePixel = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        BufferedImage empty = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB) {
            @Override
            public int getWidth() {
                return 0;
            }

            @Override
            public int getHeight() {
                return 0;
            }
        };
        List<RenderedImage> withNull = new ArrayList<>();
        withNull.add(null);
        Object[][] cases = {
            {inputs(List.of(photo(1), photo(2)), "p", 5, true), "INVALID_IMAGE_COUNT", "got 2"},
            {inputs(List.of(onePixel), "p", 5, true), "INVALID_IMAGE", "1x1"},
            {inputs(List.of(empty), "p", 5, true), "INVALID_IMAGE", "0x0"},
            {inputs(withNull, "p", 5, true), "INVALID_IMAGE", "missing"},
            {inputs(List.of(photo(1)), "   ", 5, true), "INVALID_PURPOSE", "purpose is required"},
            {inputs(List.of(photo(1)), "p", 0, true), "INVALID_TOP_K", "between 1 and 50"},
            {inputs(List.of(photo(1)), "p", 500, true), "INVALID_TOP_K", "got 500"},
        };
        for (Object[] c : cases) {
            long predictions = count("SELECT count(*) FROM geopigeon.predictions");
            long cells = count("SELECT count(*) FROM geopigeon.prediction_cells");
            long audits = count("SELECT count(*) FROM geopigeon.audit_log");
            @SuppressWarnings("unchecked")
            Map<String, Object> in = (Map<String, Object>) c[0];
            ProcessException e = assertThrows(ProcessException.class, () -> execute(in, null), (String) c[1]);
            assertTrue(e.getMessage().contains((String) c[1]) && e.getMessage().contains((String) c[2]),
                    e.getMessage());
            assertEquals(predictions, count("SELECT count(*) FROM geopigeon.predictions"));
            assertEquals(cells, count("SELECT count(*) FROM geopigeon.prediction_cells"));
            assertEquals(audits + 1, count("SELECT count(*) FROM geopigeon.audit_log"));
            AuditRecord audit = lastAudit();
            assertEquals(Outcome.REFUSED, audit.outcome());
            assertEquals(c[1], audit.errorCode());
        }
    }

    @Test
    void fiveImagesAreRejectedByGeoToolsBeforeTheProcessRuns() throws Exception {
        long audits = count("SELECT count(*) FROM geopigeon.audit_log");
        ProcessException e = assertThrows(ProcessException.class, () -> execute(
                inputs(List.of(photo(1), photo(2), photo(3), photo(4), photo(5)), "p", 5, true), null));
        assertTrue(e.getMessage().contains("image"), e.getMessage());
        // The declared max of 4 is enforced by the framework (GeoServer refuses it while parsing the request):
        // the process never sees the request, so there is nothing it could audit.
        assertEquals(audits, count("SELECT count(*) FROM geopigeon.audit_log"));
    }

    @Test
    void missingPurposeIsRejectedAsARequiredInput() {
        Map<String, Object> in = inputs(List.of(photo(1)), null, 5, true);
        in.remove("purpose");
        ProcessException e = assertThrows(ProcessException.class, () -> execute(in, null));
        assertTrue(e.getMessage().contains("purpose"), e.getMessage());
    }

    @Test
    void cancellationIsHonouredBetweenStagesAndAudited() throws Exception {
        DefaultProgressListener listener = new DefaultProgressListener();
        listener.setCanceled(true);
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo(1)), "p", 5, true), listener));
        assertTrue(e.getMessage().contains("CANCELLED"), e.getMessage());
        assertEquals(Outcome.FAILED, lastAudit().outcome());
        assertEquals("CANCELLED", lastAudit().errorCode());
    }

    @Test
    void withTheDatabaseStoppedNothingIsReturned() throws Exception {
        long predictions = count("SELECT count(*) FROM geopigeon.predictions");
        System.setProperty("geopigeon.jdbc.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/geopigeon?user=x");
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo(1)), "p", 5, true), null));
        assertTrue(e.getMessage().contains("STORE_FAILED") && e.getMessage().contains("withheld"), e.getMessage());
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
        assertEquals(predictions, count("SELECT count(*) FROM geopigeon.predictions"));
    }

    @Test
    void withoutAConfiguredDatabaseTheProcessRefusesToRun() {
        System.clearProperty("geopigeon.jdbc.url");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("GEOPIGEON_JDBC_URL") == null);
        ProcessException e = assertThrows(ProcessException.class,
                () -> execute(inputs(List.of(photo(1)), "p", 5, true), null));
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

    private static String geometryColumn(String table) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'geopigeon'"
                     + " AND f_table_name = '" + table + "' AND f_geometry_column = 'geom'")) {
            assertTrue(rs.next(), table + " is in geometry_columns");
            return rs.getString(1) + ":" + rs.getInt(2);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
