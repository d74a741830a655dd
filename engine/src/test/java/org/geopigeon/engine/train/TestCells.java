package org.geopigeon.engine.train;

import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/** Square test geocells. */
final class TestCells {

    private TestCells() {
    }

    /** One square cell of side {@code size} degrees centred on each given point; country = "C" + index. */
    static GeocellSet squares(double size, LatLon... centres) {
        List<Geocell> cells = new ArrayList<>();
        for (int i = 0; i < centres.length; i++) {
            LatLon c = centres[i];
            Polygon p = (Polygon) GeoJsonGeometry.WGS84.toGeometry(new Envelope(c.lon() - size / 2, c.lon() + size / 2,
                    c.lat() - size / 2, c.lat() + size / 2));
            MultiPolygon mp = GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {p});
            cells.add(new Geocell(i, "cell" + i, "cell " + i, "", "C" + i, 0, c, mp));
        }
        return new GeocellSet("test", cells);
    }
}
