package org.geopigeon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

class GeocellOracleTest {

    private static Geocell cell(int index, double x0, double x1, LatLon centroid) {
        return new Geocell(index, "c" + index, "", "", "", 1, centroid,
                GeoJsonGeometry.toMultiPolygon(GeoJsonGeometry.WGS84.toGeometry(new Envelope(x0, x1, 0, 10))));
    }

    @Test
    void errorIsTheDistanceToTheCentroidOfTheContainingCell() {
        GeocellSet cells = new GeocellSet("t", List.of(cell(0, 0, 10, new LatLon(5, 5)), cell(1, 10, 20, new LatLon(5, 15))));
        LatLon inFirst = new LatLon(2, 9);    // nearer the second centroid, but inside the first cell
        LatLon atSecond = new LatLon(5, 15);
        LatLon outside = new LatLon(-20, 19); // in no cell: nearest centroid
        double[] km = GeocellOracle.errorsKm(cells, List.of(inFirst, atSecond, outside));
        assertEquals(Haversine.km(inFirst, new LatLon(5, 5)), km[0], 1e-9);
        assertEquals(0.0, km[1], 1e-9);
        assertEquals(Haversine.km(outside, new LatLon(5, 15)), km[2], 1e-9);
        assertEquals(3, GeocellOracle.evaluate(cells, List.of(inFirst, atSecond, outside)).count());
    }
}
