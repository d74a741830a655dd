package org.geopigeon.engine.captions;

import java.util.Objects;
import org.geopigeon.engine.geo.LatLon;

/**
 * A populated place (a row of {@code sample-data/captions/towns.tsv}, from GeoNames cities500, CC BY 4.0).
 *
 * @param name       GeoNames name (UTF-8, may carry diacritics), e.g. "Kraków"
 * @param location   position in degrees (WGS 84)
 * @param country    ISO 3166-1 alpha-2 code
 * @param population inhabitants per GeoNames
 */
public record Town(String name, LatLon location, String country, long population) {

    public Town {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        country = country == null ? "" : country;
        if (population < 0) {
            throw new IllegalArgumentException("negative population for " + name);
        }
    }
}
