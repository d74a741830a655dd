package org.geopigeon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.TestGeocells;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;

class EvaluatorTest {

    /** Cells 0 and 1 in country "AAA", cell 2 in "BBB"; 2-degree squares around the centroids. */
    static GeocellSet cells() {
        return TestGeocells.squares(2, new String[] {"AAA", "AAA", "BBB"},
                new LatLon(0, 0), new LatLon(0, 10), new LatLon(40, 40));
    }

    @Test
    void scoresCellRankAndCountry() {
        List<LatLon> truth = List.of(new LatLon(0.5, 0), new LatLon(0, 10.5), new LatLon(40, 40), new LatLon(0, 0));
        List<Evaluator.Scored> predicted = List.of(
                new Evaluator.Scored(new LatLon(0.5, 0), new int[] {0, 1, 2}, true),   // right cell, exact point
                new Evaluator.Scored(new LatLon(0, 0), new int[] {0, 1, 2}, false),    // second-ranked, same country
                new Evaluator.Scored(new LatLon(0, 10), new int[] {1, 0, 2}, false),   // third-ranked, wrong country
                new Evaluator.Scored(new LatLon(0, 0), new int[] {0, 2, 1}, true));    // right cell
        EvaluationReport r = new Evaluator(cells()).evaluate("test", predicted, truth, true);
        assertEquals(4, r.metrics().count());
        assertEquals(0.5, r.geocellTop1(), 1e-12);
        assertEquals(1.0, r.geocellTop5(), 1e-12);
        assertEquals(0.75, r.countryAccuracy(), 1e-12);
        assertEquals(0.5, r.refinedShare(), 1e-12);
        assertEquals(0.5, r.metrics().accuracyWithin(1), 1e-12);

        JsonNode j = new ObjectMapper().valueToTree(r.toJson());
        assertEquals(0.5, j.path("accuracy").path("1km").asDouble());
        assertEquals(0.75, j.path("countryAccuracy").asDouble());
        assertTrue(r.toTable().contains("country accuracy") && r.toTable().contains("75.00%"), r.toTable());
    }

    @Test
    void withoutRankingsCellFiguresAreAbsent() {
        List<LatLon> truth = List.of(new LatLon(0, 0));
        EvaluationReport r = new Evaluator(cells()).evaluate("x", List.of(new Evaluator.Scored(new LatLon(0, 1), new int[0], false)),
                truth, false);
        assertTrue(Double.isNaN(r.geocellTop1()) && Double.isNaN(r.countryAccuracy()) && Double.isNaN(r.refinedShare()));
        assertTrue(new ObjectMapper().valueToTree(r.toJson()).path("geocellTop1").isNull());
        assertTrue(!r.toTable().contains("geocell top-1"));
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        Evaluator e = new Evaluator(cells());
        assertThrows(IllegalArgumentException.class, () -> e.evaluate("x", List.of(), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> e.evaluate("x",
                List.of(new Evaluator.Scored(new LatLon(0, 0), new int[] {0}, false)), List.of(), false));
    }
}
