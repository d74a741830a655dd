package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;
import org.geopigeon.service.store.DemoData;
import org.junit.jupiter.api.Test;

/** The answer model and its JSON form, shared by every front end. */
class GeolocationResultTest {

    private static final GeocellSet CELLS = DemoData.geocells();

    @Test
    void jacksonWritesTheRecordsWithSnakeCaseNamesAndNoGeometry() throws Exception {
        LatLon gps = new LatLon(48.8656, 2.3212);
        Prediction p = DemoData.prediction(CELLS, "demo", 3, 2, gps);
        GeolocationResult r = GeolocationResult.of(p, false, 17L, 42L, 2, 1, List.of("ab12"));

        JsonNode json = new ObjectMapper().valueToTree(r);
        JsonNode e = json.get("estimate");
        assertEquals(List.of("lat", "lon", "confidence", "refined", "model", "trained", "precision", "prediction_id",
                "audit_id", "top_k", "panorama", "image_sha256", "top_cell_centroid", "exif_gps", "gps_source",
                "exif_distance_km", "timings_ms", "created"), iterable(e));
        assertEquals(17, e.get("prediction_id").asLong());
        assertEquals(42, e.get("audit_id").asLong());
        assertEquals(48.8656, e.get("exif_gps").get("lat").asDouble(), 0);
        assertEquals(GeolocationResult.kilometres(Haversine.km(p.location(), gps)),
                e.get("exif_distance_km").asDouble(), 0);
        assertTrue(e.get("created").isNull());
        assertEquals(List.of("decode", "preprocess", "backbone", "head", "refine", "total"),
                iterable(e.get("timings_ms")));
        JsonNode cell = json.get("cells").get(0);
        assertEquals(List.of("rank", "cell_id", "name", "admin1", "country", "probability"), iterable(cell));
        assertFalse(cell.has("geometry"), "each front end writes geometry in its own encoding");
        assertEquals(p.topCells().get(0).cell().id(), cell.get("cell_id").asText());
    }

    @Test
    void thePrecisionThatRanAndTheSourceOfThePhotosPositionAreWrittenAsTheirIds() {
        LatLon gps = new LatLon(-33.8568, 151.2153);
        Prediction p = new Prediction(new LatLon(1, 2), false, 0.5, DemoData.prediction(CELLS, "demo", 0, 1, null)
                .topCells(), new LatLon(1, 2), null, new StageTimings(1, 2, 3, 4, 5), "demo", Precision.BF16)
                .withGps(gps, GpsFix.Source.XMP);
        JsonNode e = new ObjectMapper().valueToTree(GeolocationResult.of(p, false, null, 1L, 1, 1, List.of()))
                .get("estimate");
        assertEquals("bf16", e.get("precision").asText());
        assertEquals("xmp", e.get("gps_source").asText());
        assertEquals(-33.8568, e.get("exif_gps").get("lat").asDouble(), 0);

        JsonNode unknown = new ObjectMapper().valueToTree(GeolocationResult.of(p.withExifGps(gps).withGps(null,
                GpsFix.Source.EXIF), false, null, 1L, 1, 1, List.of())).get("estimate");
        assertTrue(unknown.get("gps_source").isNull(), "no position, no source");
        assertTrue(unknown.get("exif_gps").isNull());
        JsonNode legacy = new ObjectMapper().valueToTree(GeolocationResult.of(new Prediction(p.location(), false, 0.5,
                p.topCells(), p.location(), gps, p.timings(), "demo"), false, null, 1L, 1, 1, List.of())).get("estimate");
        assertTrue(legacy.get("precision").isNull(), "a prediction built without a precision says none");
        assertTrue(legacy.get("gps_source").isNull(), "a position whose source was not said has none");
    }

    @Test
    void degreesAreRoundedToACentimetreOnceForEveryFrontEnd() {
        assertEquals(2.3211999, GeolocationResult.degrees(2.32119994), 0);
        assertEquals(2.3212, GeolocationResult.degrees(2.3211999999999997), 0);
        assertEquals(12.346, GeolocationResult.kilometres(12.3456), 0);
    }

    @Test
    void withoutGpsTheExifFieldsAreNull() {
        GeolocationResult r = GeolocationResult.of(DemoData.prediction(CELLS, "demo", 0, 1, null), true, null, null, 1,
                4, List.of());
        assertEquals(null, r.estimate().exifGps());
        assertEquals(null, r.estimate().exifDistanceKm());
        assertTrue(r.estimate().panorama());
        assertEquals(r.cells().get(0), r.topCell());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
