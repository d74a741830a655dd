package org.geopigeon.engine.geocell.build;

import java.util.List;

/**
 * The polygons of one boundary file.
 *
 * @param source        file name
 * @param units         polygonal features, in file order
 * @param repairedNames names of the features whose invalid geometry was repaired
 * @param skippedCount  features left out (no geometry, not polygonal, empty after repair)
 */
public record BoundaryLayer(String source, List<AdminUnit> units, List<String> repairedNames, int skippedCount) {

    public BoundaryLayer {
        units = List.copyOf(units);
        repairedNames = List.copyOf(repairedNames);
    }
}
