package org.geopigeon.engine.geocell.build;

import java.util.Arrays;
import org.locationtech.jts.geom.Geometry;

/** A cell while it is being built: mutable, owned by one builder run. */
final class WorkCell {

    final String id;
    final String name;
    final String admin1;
    final String country;
    Geometry geometry;
    int[] points;

    WorkCell(String id, String name, String admin1, String country, Geometry geometry, int[] points) {
        this.id = id;
        this.name = name;
        this.admin1 = admin1;
        this.country = country;
        this.geometry = geometry;
        this.points = points;
    }

    int count() {
        return points.length;
    }

    /** Takes over the other cell's points and area. */
    void absorb(WorkCell other) {
        int[] merged = Arrays.copyOf(points, points.length + other.points.length);
        System.arraycopy(other.points, 0, merged, points.length, other.points.length);
        points = merged;
        geometry = Geometries.union(geometry, other.geometry);
    }

    @Override
    public String toString() {
        return id + " (" + country + ", " + points.length + " points)";
    }
}
