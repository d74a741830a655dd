package org.geopigeon.engine.geocell;

import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/** Square test geocells, shared by the engine's tests. */
public final class TestGeocells {

    private TestGeocells() {
    }

    /** One square cell of side {@code size} degrees centred on each point; country = "C" + index. */
    public static GeocellSet squares(double size, LatLon... centres) {
        String[] countries = new String[centres.length];
        for (int i = 0; i < centres.length; i++) {
            countries[i] = "C" + i;
        }
        return squares(size, countries, centres);
    }

    /** One square cell of side {@code size} degrees centred on each point, in the given countries. */
    public static GeocellSet squares(double size, String[] countries, LatLon... centres) {
        List<Geocell> cells = new ArrayList<>();
        for (int i = 0; i < centres.length; i++) {
            LatLon c = centres[i];
            Polygon p = (Polygon) GeoJsonGeometry.WGS84.toGeometry(new Envelope(c.lon() - size / 2, c.lon() + size / 2,
                    c.lat() - size / 2, c.lat() + size / 2));
            MultiPolygon mp = GeoJsonGeometry.WGS84.createMultiPolygon(new Polygon[] {p});
            cells.add(new Geocell(i, "cell" + i, "cell " + i, "", countries[i], 1, c, mp));
        }
        return new GeocellSet("test", cells);
    }
}
