package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Stage;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.DemoData;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.Outcome;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.TestImages;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audited service from undecoded bytes to the committed answer: validation order, decoding, hashes,
 * memory bounds, auditing and fail-closed behaviour, with a deterministic in-test model so each case is
 * exact (the WPS process and app tests run the real engine).
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
            listener.onStage(Stage.BACKBONE, 0.5f);
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

    private AuditedGeolocation service(ImageGeolocator override, ServiceLimits limits) {
        LoadedModel m = model(override);
        return new AuditedGeolocation(() -> m, db.dataSource(), false, limits);
    }

    private static BufferedImage image(int seed) {
        return TestImages.scene(64, 48, seed);
    }

    /** Lossless, so the decoded pixels are exactly {@link #image}. */
    private static ImageUpload png(int seed) {
        return ImageUpload.of(TestImages.png(image(seed)), "image/png", null);
    }

    private static LocateRequest request(List<ImageUpload> images, String purpose, Integer topK, boolean store) {
        return new LocateRequest(images, purpose, topK, store, new RequestContext("carol", "192.0.2.7"),
                Map.of("interface", "test"));
    }

    @Test
    void storedRequestWritesPredictionAndAcceptedAuditRowWithTheRealDecodeTime() throws SQLException {
        AuditedGeolocation s = service(null, 2, Duration.ofSeconds(1));
        Located r = s.locate(request(List.of(png(7)), "verify a news photo", 3, true), StageListener.NONE);

        assertNotNull(r.predictionId());
        assertEquals(3, r.prediction().topCells().size());
        assertEquals(List.of(PixelHash.sha256(image(7))), r.imageSha256());
        assertTrue(r.prediction().timings().decodeMs() > 0, "decode is timed, not 0");
        AuditRecord row = onlyAuditRow();
        assertEquals(Outcome.ACCEPTED, row.outcome());
        assertEquals(r.predictionId(), row.predictionId());
        assertEquals(r.auditId(), row.id());
        assertEquals("carol", row.principal());
        assertEquals("192.0.2.7", row.clientAddress());
        assertEquals("verify a news photo", row.purpose());
        assertEquals(r.imageSha256(), row.imageSha256());
        assertEquals(DemoData.manifest().name(), row.model());
        assertTrue(row.parameters().contains("image/png"), "declared media type audited: " + row.parameters());
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions"));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE (timings->>'decodeMs')::float8 > 0"),
                "the stored decode time is the real one");
        GeolocationResult.Estimate e = r.result().estimate();
        assertEquals(r.predictionId(), e.predictionId());
        assertEquals(r.auditId(), e.auditId());
        assertFalse(e.trained(), "the demo manifest is untrained");
        assertFalse(e.panorama());
        assertNull(e.exifGps());
        assertNull(e.exifDistanceKm());
    }

    @Test
    void unstoredRequestStillWritesAnAuditRowButNoPrediction() throws SQLException {
        Located r = service(null, 2, Duration.ofSeconds(1))
                .locate(request(List.of(png(1)), "research", null, false), StageListener.NONE);
        assertNull(r.predictionId());
        assertEquals(DemoData.manifest().defaults().topK(), r.prediction().topCells().size(), "model default topK");
        assertEquals(Outcome.ACCEPTED, onlyAuditRow().outcome());
        assertNull(onlyAuditRow().predictionId());
        assertEquals(0, count("SELECT count(*) FROM geopigeon.predictions"));
    }

    @Test
    void jpegWithOrientation6AndGpsReachesTheModelUprightAndTheGpsIsReturnedAndStored() throws SQLException {
        Located r = service(null, 1, Duration.ofSeconds(1)).locate(request(List.of(ImageUpload.of(
                TestImages.samplePhotoBytes("portrait_gps_orientation6.jpg"), "image/jpeg", "lisbon.jpg")),
                "check a claimed location", 2, true), StageListener.NONE);

        BufferedImage view = seen.get(0).get(0);
        assertEquals(480, view.getWidth(), "portrait pixels: stored 640 x 480, shown 480 x 640");
        assertEquals(640, view.getHeight());
        GeolocationResult.Estimate e = r.result().estimate();
        assertEquals(38.7077, e.exifGps().lat(), 1e-4);
        assertEquals(-9.1365, e.exifGps().lon(), 1e-4);
        double km = Haversine.km(r.prediction().location(), r.prediction().exifGps());
        assertEquals(km, e.exifDistanceKm(), 0.0005);
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + r.predictionId()
                + " AND abs(ST_Y(exif) - 38.7077) < 1e-4 AND abs(ST_X(exif) + 9.1365) < 1e-4"));
        assertEquals("exif", e.gpsSource(), "the position came from the EXIF GPS block");
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predicted_points WHERE prediction_id = "
                + r.predictionId() + " AND gps_source = 'exif'"));
    }

    @Test
    void aPositionFoundOnlyInTheXmpPacketIsReturnedAndStoredWithItsSource() throws Exception {
        // Sydney, written only as XMP exif:GPSLatitude/GPSLongitude with separate refs (issue 8, kind 3).
        byte[] xmpOnly = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "../engine/src/test/resources/ingest/x03_xmp_decimal_with_refs.jpg"));
        Located r = service(null, 1, Duration.ofSeconds(1)).locate(request(List.of(ImageUpload.of(xmpOnly,
                "image/jpeg", "sydney.jpg")), "check a claimed location", 2, true), StageListener.NONE);

        GeolocationResult.Estimate e = r.result().estimate();
        assertEquals(-33.8568, e.exifGps().lat(), 1e-6);
        assertEquals(151.2153, e.exifGps().lon(), 1e-6);
        assertEquals("xmp", e.gpsSource());
        assertEquals(org.geopigeon.engine.image.GpsFix.Source.XMP, r.prediction().gpsSource());
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + r.predictionId()
                + " AND gps_source = 'xmp' AND abs(ST_Y(exif) + 33.8568) < 1e-6"));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predicted_points WHERE prediction_id = "
                + r.predictionId() + " AND gps_source = 'xmp' AND exif_geom IS NOT NULL"));
    }

    @Test
    void withoutAPositionThereIsNoSourceAndTheDatabaseRefusesASourceWithoutAPosition() throws SQLException {
        Located r = service(null, 1, Duration.ofSeconds(1)).locate(request(List.of(png(5)), "p", 1, true),
                StageListener.NONE);
        assertNull(r.result().estimate().gpsSource());
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + r.predictionId()
                + " AND gps_source IS NULL AND exif IS NULL"));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate(
                    "UPDATE geopigeon.predictions SET gps_source = 'xmp' WHERE id = " + r.predictionId()));
            assertTrue(e.getMessage().contains("predictions_gps_source_known"), e.getMessage());
        }
    }

    /** A model whose backbone runs in {@code precision}, as the engine's Geolocator reports it. */
    private LoadedModel modelIn(org.geopigeon.engine.model.Precision precision, List<String> ran) {
        ImageGeolocator g = (views, options, listener) -> {
            ran.add(precision.id());
            org.geopigeon.engine.predict.Prediction p = DemoData.prediction(cells, DemoData.manifest().name(), 2,
                    options.topK(), null);
            return new org.geopigeon.engine.predict.Prediction(p.location(), p.refined(), p.confidence(),
                    p.topCells(), p.topCellCentroid(), null, p.timings(), p.model(), precision);
        };
        return new LoadedModel(DemoData.manifest(), cells, "demo", g, precision, "test");
    }

    private LocateRequest requestIn(org.geopigeon.engine.model.PrecisionChoice precision) {
        return new LocateRequest(List.of(png(3)), "compare precisions", 2, true, new RequestContext("carol", null),
                Map.of("interface", "test"), null, precision);
    }

    @Test
    void thePrecisionThatRanIsInTheAnswerTheAuditParametersAndTheStoredPrediction() throws SQLException {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        LoadedModel bf16 = modelIn(org.geopigeon.engine.model.Precision.BF16, ran);
        AuditedGeolocation s = new AuditedGeolocation(() -> bf16, db.dataSource(), false, 1, Duration.ofSeconds(1));

        Located r = s.locate(requestIn(null), StageListener.NONE);

        assertEquals("bf16", r.result().estimate().precision());
        String params = onlyAuditRow().parameters().replace(" ", "");
        assertTrue(params.contains("\"precision\":\"bf16\""), params);
        assertFalse(params.contains("precision_requested"), "nothing was requested: " + params);
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE id = " + r.predictionId()
                + " AND precision = 'bf16'"));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predicted_points WHERE prediction_id = "
                + r.predictionId() + " AND precision = 'bf16'"));
    }

    @Test
    void aServerWithOneModelAnswersInItsOwnPrecisionAndRefusesAnyOtherAudited() throws SQLException {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        LoadedModel bf16 = modelIn(org.geopigeon.engine.model.Precision.BF16, ran);
        AuditedGeolocation s = new AuditedGeolocation(() -> bf16, db.dataSource(), false, 1, Duration.ofSeconds(1));

        s.locate(requestIn(org.geopigeon.engine.model.PrecisionChoice.AUTO), StageListener.NONE);
        s.locate(requestIn(org.geopigeon.engine.model.PrecisionChoice.BF16), StageListener.NONE);
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> s.locate(requestIn(org.geopigeon.engine.model.PrecisionChoice.FP32), StageListener.NONE));

        assertEquals(ErrorCode.INVALID_PRECISION, e.code());
        assertTrue(e.getMessage().contains("bf16 only") && e.getMessage().contains("fp32"), e.getMessage());
        assertEquals(List.of("bf16", "bf16"), ran, "the refused request never reached the model");
        assertEquals(1, count("SELECT count(*) FROM geopigeon.audit_log WHERE outcome = 'refused'"
                + " AND error_code = 'INVALID_PRECISION' AND parameters->>'precision_requested' = 'fp32'"));
        assertEquals(2, count("SELECT count(*) FROM geopigeon.audit_log WHERE outcome = 'accepted'"));
    }

    @Test
    void aProviderWithSeveralPrecisionsServesEachRequestInTheOneItAskedFor() throws SQLException {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        LoadedModel bf16 = modelIn(org.geopigeon.engine.model.Precision.BF16, ran);
        LoadedModel int8 = modelIn(org.geopigeon.engine.model.Precision.INT8, ran);
        ModelProvider provider = new ModelProvider() {
            @Override
            public LoadedModel get() {
                return bf16;
            }

            @Override
            public LoadedModel get(org.geopigeon.engine.model.PrecisionChoice c) {
                return c == org.geopigeon.engine.model.PrecisionChoice.INT8 ? int8 : ModelProvider.super.get(c);
            }
        };
        AuditedGeolocation s = new AuditedGeolocation(provider, db.dataSource(), false, ServiceLimits.of(1,
                Duration.ofSeconds(1)));

        Located a = s.locate(requestIn(org.geopigeon.engine.model.PrecisionChoice.INT8), StageListener.NONE);
        Located b = s.locate(requestIn(null), StageListener.NONE);

        assertEquals("int8", a.result().estimate().precision());
        assertEquals("bf16", b.result().estimate().precision());
        assertEquals(List.of("int8", "bf16"), ran);
        assertEquals(1, count("SELECT count(*) FROM geopigeon.audit_log WHERE parameters->>'precision' = 'int8'"
                + " AND parameters->>'precision_requested' = 'int8' AND prediction_id = " + a.predictionId()));
        assertEquals(1, count("SELECT count(*) FROM geopigeon.predictions WHERE precision = 'int8'"));
    }

    @Test
    void webpIsDecodedLikeJpegAndPng() {
        Located r = service(null, 1, Duration.ofSeconds(1)).locate(request(List.of(ImageUpload.of(
                TestImages.samplePhotoBytes("harbour.webp"), "image/webp", null)), "p", 2, false), StageListener.NONE);
        assertEquals(640, seen.get(0).get(0).getWidth());
        assertEquals(1, r.imageSha256().size());
    }

    @Test
    void refinementCanBeSwitchedOffPerRequestAndTheChoiceIsAudited() {
        List<LocateOptions> asked = Collections.synchronizedList(new ArrayList<>());
        ImageGeolocator recording = (views, options, listener) -> {
            asked.add(options);
            return DemoData.prediction(cells, DemoData.manifest().name(), 1, options.topK(), null);
        };
        LocateRequest noRefine = new LocateRequest(List.of(png(2)), "research", 2, false,
                new RequestContext("carol", "192.0.2.7"), Map.of(), false);
        service(recording, 1, Duration.ofSeconds(1)).locate(noRefine, StageListener.NONE);

        assertEquals(Boolean.FALSE, asked.get(0).refine());
        assertTrue(onlyAuditRow().parameters().replace(" ", "").contains("\"refine\":false"),
                onlyAuditRow().parameters());
    }

    @Test
    void panoramaOfFourViewsIsAcceptedAndHashesEachView() {
        List<ImageUpload> views = List.of(png(1), png(2), png(3), png(4));
        Located r = service(null, 2, Duration.ofSeconds(1)).locate(request(views, "survey", 2, true), StageListener.NONE);
        assertEquals(4, r.imageSha256().size());
        assertEquals(PixelHash.sha256(image(3)), r.imageSha256().get(2));
        assertEquals(4, seen.get(0).size());
        assertEquals(4, onlyAuditRow().imageSha256().size());
        assertTrue(r.result().estimate().panorama());
    }

    @Test
    void badInputIsRefusedAuditedAndNeverReachesTheModel() throws SQLException {
        byte[] jpeg = TestImages.jpeg(image(1));
        byte[] bigJpeg = TestImages.jpeg(TestImages.scene(320, 240, 1));
        List<ImageUpload> withNull = new ArrayList<>();
        withNull.add(null);
        record Case(List<ImageUpload> images, String purpose, Integer topK, ErrorCode code, String problem,
                    String words) {
        }
        List<Case> cases = List.of(
                new Case(List.of(png(1), png(2)), "p", 5, ErrorCode.INVALID_IMAGE_COUNT, null, "got 2"),
                new Case(List.of(), "p", 5, ErrorCode.INVALID_IMAGE_COUNT, null, "got 0"),
                new Case(List.of(png(1), png(2), png(3), png(4), png(5)), "p", 5,
                        ErrorCode.INVALID_IMAGE_COUNT, null, "got 5"),
                new Case(List.of(ImageUpload.of(TestImages.png(TestImages.scene(16, 16, 1)), null, "tiny.png")), "p",
                        5, ErrorCode.INVALID_IMAGE, "TOO_SMALL", "16 x 16"),
                new Case(withNull, "p", 5, ErrorCode.INVALID_IMAGE, "MISSING", "missing"),
                new Case(List.of(ImageUpload.of(new byte[0], "image/jpeg", null)), "p", 5, ErrorCode.INVALID_IMAGE,
                        "EMPTY", "empty"),
                new Case(List.of(ImageUpload.of(jpeg, "image/png", "holiday.png")), "p", 5, ErrorCode.INVALID_IMAGE,
                        "MEDIA_TYPE_MISMATCH", "declared as image/png but its bytes are a JPEG"),
                new Case(List.of(ImageUpload.of(TestImages.pngBombHeader(50_000, 50_000), "image/png", null)), "p", 5,
                        ErrorCode.INVALID_IMAGE, "TOO_MANY_PIXELS", "50000 x 50000"),
                new Case(List.of(ImageUpload.of(Arrays.copyOf(bigJpeg, bigJpeg.length * 2 / 3), "image/jpeg", "cut.jpg")), "p",
                        5, ErrorCode.INVALID_IMAGE, "TRUNCATED", "truncated"),
                new Case(List.of(png(1)), "  ", 5, ErrorCode.INVALID_PURPOSE, null, "purpose is required"),
                new Case(List.of(png(1)), null, 5, ErrorCode.INVALID_PURPOSE, null, "purpose is required"),
                new Case(List.of(png(1)), "p", 0, ErrorCode.INVALID_TOP_K, null, "got 0"),
                new Case(List.of(png(1)), "p", 500, ErrorCode.INVALID_TOP_K, null, "got 500"));
        AuditedGeolocation s = service(null, 2, Duration.ofSeconds(1));
        for (Case c : cases) {
            GeolocationException e = assertThrows(GeolocationException.class,
                    () -> s.locate(request(c.images(), c.purpose(), c.topK(), true), StageListener.NONE), c.toString());
            assertEquals(c.code(), e.code(), c.toString());
            assertEquals(Outcome.REFUSED, e.outcome());
            assertTrue(e.getMessage().contains(c.words()), e.getMessage());
            assertNotNull(e.auditId(), "refusal audited: " + c);
            assertEquals(c.problem(), e.imageProblem() == null ? null : e.imageProblem().name());
        }
        assertTrue(seen.isEmpty(), "the model never ran");
        List<AuditRecord> rows = new AuditLog(db.dataSource()).list(null, 100);
        assertEquals(cases.size(), rows.size());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(Outcome.REFUSED, rows.get(i).outcome());
            assertEquals(cases.get(i).code().name(), rows.get(i).errorCode());
            if (cases.get(i).problem() != null) {
                assertTrue(rows.get(i).parameters().contains(cases.get(i).problem()), rows.get(i).parameters());
            }
            assertFalse(rows.get(i).parameters().contains("holiday.png"), "file names are never audited");
        }
        assertEquals(0, count("SELECT count(*) FROM geopigeon.predictions"));
        assertTrue(new AuditLog(db.dataSource()).verify().intact());
    }

    @Test
    void theCountIsCheckedBeforeAnyImageIsRead() {
        AtomicInteger opened = new AtomicInteger();
        ImageUpload.Source watched = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(TestImages.png(image(1)));
        };
        List<ImageUpload> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(ImageUpload.ofStream(watched, "image/png", null));
        }
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> service(null, 1, Duration.ofSeconds(1)).locate(request(five, "p", 5, false), StageListener.NONE));
        assertEquals(ErrorCode.INVALID_IMAGE_COUNT, e.code());
        assertEquals(0, opened.get(), "no image was read");
    }

    @Test
    void everyHeaderIsCheckedBeforeAnyViewIsDecoded() {
        // View 1 has a good header and broken pixel data; view 4 has a header that breaks a rule. Had view 1 been
        // decoded first, the refusal would name its damaged data instead.
        byte[] good = TestImages.jpeg(image(1));
        byte[] damagedBody = Arrays.copyOf(good, good.length);
        for (int i = good.length / 2; i < good.length - 2; i++) {
            damagedBody[i] = (byte) 0xFF;
        }
        List<ImageUpload> views = List.of(ImageUpload.of(damagedBody, "image/jpeg", null), png(2), png(3),
                ImageUpload.of(TestImages.png(TestImages.scene(20, 400, 4)), "image/png", null));
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(null, 1,
                Duration.ofSeconds(1)).locate(request(views, "p", 5, false), StageListener.NONE));
        assertEquals(ImageProblem.TOO_SMALL, e.imageProblem());
        assertTrue(e.getMessage().contains("image 4 of 4"), e.getMessage());
    }

    @Test
    void aStreamIsReadExactlyOnce() {
        AtomicInteger opened = new AtomicInteger();
        byte[] bytes = TestImages.png(image(5));
        ImageUpload once = ImageUpload.ofStream(() -> {
            if (opened.incrementAndGet() > 1) {
                throw new IllegalStateException("a synchronous GeoServer stream can be read only once");
            }
            return new ByteArrayInputStream(bytes);
        }, "image/png", null);
        Located r = service(null, 1, Duration.ofSeconds(1)).locate(request(List.of(once), "p", 2, false),
                StageListener.NONE);
        assertEquals(PixelHash.sha256(image(5)), r.imageSha256().get(0));
        assertEquals(1, opened.get());
    }

    @Test
    void imagesOverTheByteLimitAreRefusedAndAudited() {
        ServiceLimits small = new ServiceLimits(new ImageRules(32, 80_000_000, 500), 1, Duration.ofSeconds(1),
                80_000_000);
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(null, small)
                .locate(request(List.of(ImageUpload.of(TestImages.jpeg(image(3)), "image/jpeg", "big.jpg")), "p", 5,
                        true), StageListener.NONE));
        assertEquals(ImageProblem.TOO_LARGE, e.imageProblem());
        assertTrue(e.getMessage().contains("big.jpg") && e.getMessage().contains("500 bytes"), e.getMessage());
        assertEquals("INVALID_IMAGE", onlyAuditRow().errorCode());
    }

    @Test
    void decodedPixelsInFlightAreBoundedAcrossRequests() throws Exception {
        // 64 x 48 = 3,072 pixels an image; the budget holds one image, not two.
        ServiceLimits oneImage = new ServiceLimits(new ImageRules(32, 4000, 1_000_000), 4, Duration.ofMillis(300),
                4000);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImageGeolocator slow = holding(inside, release);
        AuditedGeolocation s = service(slow, oneImage);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Located> first = pool.submit(() -> s.locate(request(List.of(png(1)), "p", 2, false),
                    StageListener.NONE));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            assertEquals(4000, s.pixelsInFlight(), "the first request holds its pixels during inference");
            GeolocationException busy = assertThrows(GeolocationException.class,
                    () -> s.locate(request(List.of(png(2)), "p", 2, false), StageListener.NONE));
            assertEquals(ErrorCode.BUSY, busy.code(), "four inference slots are free: pixels are the bound");
            assertTrue(busy.getMessage().contains("busy decoding"), busy.getMessage());
            assertNotNull(busy.auditId());
            release.countDown();
            assertNotNull(first.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertEquals(0, s.pixelsInFlight(), "released after inference");
        assertNotNull(s.locate(request(List.of(png(3)), "p", 2, false), StageListener.NONE), "room again");

        GeolocationException tooBig = assertThrows(GeolocationException.class, () -> s.locate(request(
                List.of(png(1), png(2), png(3), png(4)), "p", 2, false), StageListener.NONE));
        assertEquals(ImageProblem.TOO_MANY_PIXELS, tooBig.imageProblem(), "a request over the whole budget");
        assertTrue(tooBig.getMessage().contains("12288 pixels"), tooBig.getMessage());
    }

    @Test
    void cancellationBetweenStagesIsAuditedAsFailed() {
        StageListener cancelled = new StageListener() {
            @Override
            public void onStage(Stage stage, float fraction) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(null, 1, Duration.ofSeconds(1))
                .locate(request(List.of(png(1)), "p", 5, true), cancelled));
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals(Outcome.FAILED, onlyAuditRow().outcome());
    }

    @Test
    void inferenceFailureIsAuditedAndTheClientGetsAnIncidentNotTheException() {
        ImageGeolocator broken = (views, options, listener) -> {
            throw new IllegalStateException("native library crashed at 0x7f3a");
        };
        GeolocationException e = assertThrows(GeolocationException.class, () -> service(broken, 1,
                Duration.ofSeconds(1)).locate(request(List.of(png(1)), "p", 5, true), StageListener.NONE));
        assertEquals(ErrorCode.INFERENCE_FAILED, e.code());
        assertNotNull(e.incidentId());
        assertTrue(e.getMessage().contains("inference failed") && e.getMessage().contains(e.incidentId()),
                e.getMessage());
        assertClean(e);
        assertEquals("INFERENCE_FAILED", onlyAuditRow().errorCode());
        assertTrue(onlyAuditRow().parameters().contains(e.incidentId()), "the audit row names the incident");
    }

    @Test
    void whenAllSlotsStayBusyTheRequestIsRefusedWithBusy() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImageGeolocator slow = holding(inside, release);
        AuditedGeolocation s = service(slow, 1, Duration.ofMillis(200));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Located> first = pool.submit(() -> s.locate(request(List.of(png(1)), "p", 2, false),
                    StageListener.NONE));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            GeolocationException e = assertThrows(GeolocationException.class,
                    () -> s.locate(request(List.of(png(2)), "p", 2, false), StageListener.NONE));
            assertEquals(ErrorCode.BUSY, e.code());
            assertTrue(e.getMessage().contains("inference slots stayed busy"), e.getMessage());
            release.countDown();
            assertNotNull(first.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdown();
        }
        assertNotNull(s.locate(request(List.of(png(3)), "p", 2, false), StageListener.NONE), "slot released");
    }

    @Test
    void withTheDatabaseDownNoResultIsReturnedAndTheClientSeesNoSql() {
        LoadedModel m = model(null);
        AuditedGeolocation s = new AuditedGeolocation(() -> m,
                Migrations.dataSource("jdbc:postgresql://127.0.0.1:9/geopigeon?connectTimeout=2", "nobody", null),
                true, 1, Duration.ofSeconds(1));
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> s.locate(request(List.of(png(1)), "p", 5, false), StageListener.NONE));
        assertEquals(ErrorCode.STORE_FAILED, e.code());
        assertNull(e.auditId());
        assertNotNull(e.incidentId());
        assertTrue(e.getMessage().contains("withheld") && e.getMessage().contains(e.incidentId()), e.getMessage());
        assertClean(e);
        assertEquals(1, seen.size(), "inference ran, but its result was withheld");

        GeolocationException refused = assertThrows(GeolocationException.class,
                () -> s.locate(request(List.of(png(1)), " ", 5, false), StageListener.NONE));
        assertEquals(ErrorCode.INVALID_PURPOSE, refused.code());
        assertNull(refused.auditId());
        assertTrue(refused.getMessage().contains("local audit spool"), "the refusal waits in the spool: "
                + refused.getMessage());
        assertClean(refused);
    }

    @Test
    void anUnloadableModelIsAuditedAsFailedWithTheDetailOnlyInTheLog() {
        AuditedGeolocation s = new AuditedGeolocation(() -> {
            throw new ModelHolder.ModelUnavailableException("bundle /srv/models/x: manifest missing", null);
        }, db.dataSource(), false, 1, Duration.ofSeconds(1));
        GeolocationException e = assertThrows(GeolocationException.class,
                () -> s.locate(request(List.of(png(1)), "p", 5, true), StageListener.NONE));
        assertEquals(ErrorCode.MODEL_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("model is not available") && e.getMessage().contains(e.incidentId()),
                e.getMessage());
        assertFalse(e.getMessage().contains("/srv/models"), "server paths stay in the log: " + e.getMessage());
        assertEquals(Outcome.FAILED, onlyAuditRow().outcome());
        assertNull(onlyAuditRow().model());
    }

    /** A model that signals {@code inside} and then holds its request (and its views) until {@code release}. */
    private static ImageGeolocator holding(CountDownLatch inside, CountDownLatch release) {
        return (views, options, listener) -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DemoData.prediction(cells, DemoData.manifest().name(), 0, options.topK(), null);
        };
    }

    /** What a client sees: no SQL, no Java class names, no stack trace, no cause chain to print. */
    static void assertClean(GeolocationException e) {
        String m = e.getMessage();
        for (String leak : new String[] {"Exception", "SQL", "jdbc:", "org.", "java.", "\tat "}) {
            assertFalse(m.contains(leak), "'" + leak + "' in: " + m);
        }
        assertNull(e.getCause(), "no cause chain for front ends to print");
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
