package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.DemoData;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.Outcome;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Validation, auditing, capacity and fail-closed behaviour, with a deterministic in-test model so
 * each case is exact (the WPS process tests run the real engine).
 */
class AuditedGeolocationTest {

    private static GeocellSet cells;
    private TestDatabase db;
    private final List<List<BufferedImage>> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void demo() {
        cells = DemoData.geocells();
    }

    @BeforeEach
    void database() {
        db = ThrowawayPostgis.get().createMigratedDatabase("service");
    }

    /** Picks cells from the first pixel so different images give different answers. */
    private LoadedModel model(ImageGeolocator override) {
        ImageGeolocator fake = (views, options, listener) -> {
            seen.add(views);
            listener.onStage(org.geopigeon.engine.predict.Stage.BACKBONE, 0.5f);
            if (listener.isCancelled()) {
                throw new CancellationException("cancelled before stage HEAD");
            }
            int first = views.get(0).getRGB(0, 0) & 0xFF;
            return DemoData.prediction(cells, DemoData.manifest().name(), first, options.topK(), null);
        };
        return new LoadedModel(DemoData.manifest(), cells, "demo", override != null ? override : fake);
    }

    private AuditedGeolocation service(ImageGeolocator override, int slots, Duration wait) {
        LoadedModel m = model(override);
        return new AuditedGeolocation(() -> m, db.dataSource(), false, slots, wait);
    }

    private static BufferedImage image(int seed) {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (seed * 31 + x * 3 + y * 5) & 0xFFFFFF);
            }
        }
        return img;
    }

    private static LocateRequest request(List<RenderedImage> views, String purpose, Integer topK, boolean store) {
        return new LocateRequest(views, purpose, topK, store, new RequestContext("carol", "192.0.2.7"));
    }

    @Test
    void storedRequestWritesPredictionAndAcceptedAuditRow() throws SQLException {
        AuditedGeolocation s = service(null, 2, Duration.ofSeconds(1));
        Located r = s.locate(request(List.of(image(7)), "verify a news photo", 3, true), StageListener.NONE);

        assertNotNull(r.predictionId());
        assertEquals(3, r.prediction().topCells().size());
        assertEquals(List.of(PixelHash.sha256(image(7))), r.imageSha256());
        AuditRecord row = onlyAuditRow();
        assertEquals(Outcome.ACCEPTED, row.outcome());
        assertEquals(r.predictionId(), row.predictionId());
        assertEquals(r.auditId(), row.id());
        assertEquals("carol", row.principal());
        assertEquals("192.0.2.7", row.clientAddress());
        assertEquals("verify a news photo", row.purpose());
        assertEquals(r.imageSha256(), row.imageSha256());
        assertEquals(DemoData.manifest().name(), row.model());
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions"));
    }

    @Test
    void unstoredRequestStillWritesAnAuditRowButNoPrediction() throws SQLException {
        Located r = service(null, 2, Duration.ofSeconds(1))
                .locate(request(List.of(image(1)), "research", null, false), StageListener.NONE);
        assertNull(r.predictionId());
        assertEquals(DemoData.manifest().defaults().topK(), r.prediction().topCells().size(), "model default topK");
        assertEquals(Outcome.ACCEPTED, onlyAuditRow().outcome());
        assertNull(onlyAuditRow().predictionId());
        assertEquals(0, count("SELECT count(*) FROM geopigeon.predictions"));
    }

    @Test
    void refinementCanBeSwitchedOffPerRequestAndTheChoiceIsAudited() {
        List<LocateOptions> asked = Collections.synchronizedList(new ArrayList<>());
        ImageGeolocator recording = (views, options, listener) -> {
            asked.add(options);
            return DemoData.prediction(cells, DemoData.manifest().name(), 1, options.topK(), null);
        };
        LocateRequest noRefine = new LocateRequest(List.of(image(2)), "research", 2, false,
                new RequestContext("carol", "192.0.2.7"), null, java.util.Map.of(), false);
        service(recording, 1, Duration.ofSeconds(1)).locate(noRefine, StageListener.NONE);

        assertEquals(Boolean.FALSE, asked.get(0).refine());
        assertTrue(onlyAuditRow().parameters().contains("\"refine\": false")
                || onlyAuditRow().parameters().contains("\"refine\":false"), onlyAuditRow().parameters());
    }

    @Test
    void panoramaOfFourViewsIsAcceptedAndHashesEachView() {
        List<RenderedImage> views = List.of(image(1), image(2), image(3), image(4));
        Located r = service(null, 2, Duration.ofSeconds(1)).locate(request(views, "survey", 2, true), StageListener.NONE);
        assertEquals(4, r.imageSha256().size());
        assertEquals(4, seen.get(0).size());
        assertEquals(4, onlyAuditRow().imageSha256().size());
    }

    @Test
    void badInputIsRefusedAuditedAndNeverReachesTheModel() throws SQLException {
        BufferedImage onePixel = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        record Case(List<RenderedImage> views, String purpose, Integer topK, ErrorCode code, String words) {
        }
        List<RenderedImage> withNull = new ArrayList<>();
        withNull.add(null);
        List<Case> cases = List.of(
                new Case(List.of(image(1), image(2)), "p", 5, ErrorCode.INVALID_IMAGE_COUNT, "got 2"),
                new Case(List.of(), "p", 5, ErrorCode.INVALID_IMAGE_COUNT, "got 0"),
                new Case(List.of(image(1), image(2), image(3), image(4), image(5)), "p", 5,
                        ErrorCode.INVALID_IMAGE_COUNT, "got 5"),
                new Case(List.of(onePixel), "p", 5, ErrorCode.INVALID_IMAGE, "1x1 pixels"),
                new Case(withNull, "p", 5, ErrorCode.INVALID_IMAGE, "missing"),
                new Case(List.of(image(1)), "  ", 5, ErrorCode.INVALID_PURPOSE, "purpose is required"),
                new Case(List.of(image(1)), null, 5, ErrorCode.INVALID_PURPOSE, "purpose is required"),
                new Case(List.of(image(1)), "p", 0, ErrorCode.INVALID_TOP_K, "got 0"),
                new Case(List.of(image(1)), "p", 500, ErrorCode.INVALID_TOP_K, "got 500"));
        AuditedGeolocation s = service(null, 2, Duration.ofSeconds(1));
        for (Case c : cases) {
            GeolocationException e = assertThrows(GeolocationException.class,
                    () -> s.locate(request(c.views(), c.purpose(), c.topK(), true), StageListener.NONE), c.toString());
            assertEquals(c.code(), e.code(), c.toString());
            assertEquals(Outcome.REFUSED, e.outcome());
            assertTrue(e.getMessage().contains(c.words()), e.getMessage());
            assertNotNull(e.auditId(), "refusal audited: " + c);
        }
        assertTrue(seen.isEmpty(), "the model never ran");
        List<AuditRecord> rows = new AuditLog(db.dataSource()).list(null, 100);
        assertEquals(cases.size(), rows.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(Outcome.REFUSED, rows.get(i).outcome());
            assertEquals(cases.get(i).code().name(), rows.get(i).errorCode());
        }
        assertEquals(0, count("SELECT count(*) FROM geopigeon.predictions"));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void cancellationBetweenStagesIsAuditedAsFailed() {
        StageListener cancelled = new StageListener() {
            @Override
            public void onStage(org.geopigeon.engine.predict.Stage stage, float fraction) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(null, 1, Duration.ofSeconds(1))
                .locate(request(List.of(image(1)), "p", 5, true), cancelled));
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals(Outcome.FAILED, onlyAuditRow().outcome());
    }

    @Test
    void inferenceFailureIsAuditedAsFailed() {
        ImageGeolocator broken = (views, options, listener) -> {
            throw new IllegalStateException("native library crashed");
        };
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(broken, 1, Duration.ofSeconds(1))
                .locate(request(List.of(image(1)), "p", 5, true), StageListener.NONE));
        assertEquals(ErrorCode.INFERENCE_FAILED, e.code());
        assertTrue(e.getMessage().contains("native library crashed"));
        assertEquals("INFERENCE_FAILED", onlyAuditRow().errorCode());
    }

    @Test
    void whenAllSlotsStayBusyTheRequestIsRefusedWithBusy() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImageGeolocator slow = (views, options, listener) -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DemoData.prediction(cells, DemoData.manifest().name(), 0, options.topK(), null);
        };
        AuditedGeolocation s = service(slow, 1, Duration.ofMillis(200));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Located> first = pool.submit(() -> s.locate(request(List.of(image(1)), "p", 2, false),
                    StageListener.NONE));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            GeolocationException e = assertThrows(GeolocationException.class,
                    () -> s.locate(request(List.of(image(2)), "p", 2, false), StageListener.NONE));
            assertEquals(ErrorCode.BUSY, e.code());
            assertTrue(e.getMessage().contains("busy"), e.getMessage());
            release.countDown();
            assertNotNull(first.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertNotNull(s.locate(request(List.of(image(3)), "p", 2, false), StageListener.NONE), "slot released");
    }

    @Test
    void withTheDatabaseDownNoResultIsReturned() {
        LoadedModel m = model(null);
        AuditedGeolocation s = new AuditedGeolocation(() -> m,
                Migrations.dataSource("jdbc:postgresql://127.0.0.1:9/geopigeon", "nobody", null), true, 1,
                Duration.ofSeconds(1));
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> s.locate(request(List.of(image(1)), "p", 5, false), StageListener.NONE));
        assertEquals(ErrorCode.STORE_FAILED, e.code());
        assertNull(e.auditId());
        assertTrue(e.getMessage().contains("withheld"), e.getMessage());
        assertEquals(1, seen.size(), "inference ran, but its result was withheld");
    }

    @Test
    void anUnloadableModelIsAuditedAsFailed() {
        AuditedGeolocation s = new AuditedGeolocation(() -> {
            throw new ModelHolder.ModelUnavailableException("bundle /nowhere: manifest missing", null);
        }, db.dataSource(), false, 1, Duration.ofSeconds(1));
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> s.locate(request(List.of(image(1)), "p", 5, true), StageListener.NONE));
        assertEquals(ErrorCode.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("manifest missing"));
        assertEquals(Outcome.FAILED, onlyAuditRow().outcome());
        assertNull(onlyAuditRow().model());
    }

    private AuditRecord onlyAuditRow() {
        List<AuditRecord> rows = new AuditLog(db.dataSource()).list(null, 10);
        assertEquals(1, rows.size(), "exactly one audit row");
        return rows.get(0);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
