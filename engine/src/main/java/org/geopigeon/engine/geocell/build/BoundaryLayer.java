package org.geopigeon.engine.geocell.build;

import java.util.ArrayList;
import java.util.List;

/**
 * The polygons of one boundary file.
 *
 * @param source        file name
 * @param units         polygonal features, in file order
 * @param repairedNames names of the features whose invalid geometry was repaired; features cut at the antimeridian
 *                      appear as "name (cut at the antimeridian)" ({@link BoundaryReader#CUT_NOTE})
 * @param skippedCount  features left out (no geometry, not polygonal, empty after repair)
 * @param antimeridianCutCount features whose rings were stitched across the antimeridian and cut there
 */
public record BoundaryLayer(String source, List<AdminUnit> units, List<String> repairedNames, int skippedCount,
        int antimeridianCutCount) {

    public BoundaryLayer {
        units = List.copyOf(units);
        repairedNames = List.copyOf(repairedNames);
    }

    /**
     * What a user should know about this file: "FILE: repaired N polygons (M cut at the antimeridian): names" and
     * "FILE: skipped N features without a usable polygon"; empty when neither happened.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!repairedNames.isEmpty()) {
            // Antimeridian cuts are listed with the repairs, each name marked "(cut at the antimeridian)".
            out.add(source + ": repaired " + repairedNames.size() + " polygons (" + antimeridianCutCount
                    + " cut at the antimeridian): " + BuildReport.abbreviate(repairedNames));
        }
        if (skippedCount > 0) {
            out.add(source + ": skipped " + skippedCount + " features without a usable polygon");
        }
        return out;
    }

    /** A layer with nothing cut at the antimeridian. */
    public BoundaryLayer(String source, List<AdminUnit> units, List<String> repairedNames, int skippedCount) {
        this(source, units, repairedNames, skippedCount, 0);
    }
}
