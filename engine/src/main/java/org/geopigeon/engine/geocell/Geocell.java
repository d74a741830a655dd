package org.geopigeon.engine.geocell;

import java.util.Objects;
import org.geopigeon.engine.geo.LatLon;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * One geocell: a class of the geolocation head.
 *
 * @param index      class index in the head's output (row order of the geocell file)
 * @param id         stable identifier, e.g. "FRA.IDF.3"
 * @param name       human-readable name (finest admin unit it came from)
 * @param admin1     first-level administrative unit name, may be empty
 * @param country    ISO 3166-1 alpha-3 code (or name where unknown)
 * @param pointCount number of training points the cell was built from
 * @param centroid   mean of the training points (PIGEON's definition, not the polygon centroid)
 * @param geometry   cell area, EPSG:4326, x = longitude
 */
public record Geocell(int index, String id, String name, String admin1, String country,
                      int pointCount, LatLon centroid, MultiPolygon geometry) {

    public Geocell {
        if (index < 0) {
            throw new IllegalArgumentException("geocell index must be >= 0: " + index);
        }
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        admin1 = admin1 == null ? "" : admin1;
        country = country == null ? "" : country;
        Objects.requireNonNull(centroid, "centroid of geocell " + id);
        Objects.requireNonNull(geometry, "geometry of geocell " + id);
    }
}
