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
import org.geopigeon.engine.predict.Prediction;
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
        assertEquals(List.of("lat", "lon", "confidence", "refined", "model", "trained", "prediction_id", "audit_id",
                "top_k", "panorama", "image_sha256", "top_cell_centroid", "exif_gps", "exif_distance_km", "timings_ms",
                "created"), iterable(e));
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
