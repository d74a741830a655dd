package org.geopigeon.engine.geocell.build;

import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * One polygon of a boundary layer (a country, an admin-1 or an admin-2 unit).
 *
 * @param id       stable identifier (ISO 3166-2 code, GID, feature id, or layer:position)
 * @param name     display name
 * @param admin1   name of the first-level unit it belongs to ("" for a country layer)
 * @param country  ISO 3166-1 alpha-3 code where known, else the country name; never crossed by a cell
 * @param geometry valid polygonal geometry, x = longitude
 */
public record AdminUnit(String id, String name, String admin1, String country, Geometry geometry) {

    public AdminUnit {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        admin1 = admin1 == null ? "" : admin1;
        country = country == null ? "" : country;
        Objects.requireNonNull(geometry, "geometry of " + id);
    }

    /**
     * A copy naming the country and admin-1 unit it lies in (from the assignment step), same id, name and geometry.
     */
    public AdminUnit withCountryAndAdmin1(String newCountry, String newAdmin1) {
        return new AdminUnit(id, name, newAdmin1, newCountry, geometry);
    }
}
