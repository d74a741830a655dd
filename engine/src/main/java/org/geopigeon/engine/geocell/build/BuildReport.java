package org.geopigeon.engine.geocell.build;

import java.util.List;

/**
 * What a build did, for the summary and for judging the input.
 *
 * @param pointsUsed          points that went into cells
 * @param pointsSkipped       input rows/photos skipped (bad coordinates, no GPS)
 * @param pointsOutside       points covered by no boundary polygon, assigned to the nearest one
 * @param repairedBoundaries  "file: name" of each boundary polygon that was invalid and repaired
 * @param skippedBoundaries   boundary features without a usable polygon
 * @param unitsWithPoints     finest admin units holding at least one point
 * @param unitsDropped        empty units in countries without any point (their land has no cell)
 * @param countries           countries with at least one cell
 * @param merges              fuse operations
 * @param splits              successful splits (bisections included)
 * @param bisections          splits made by the principal-axis bisection fallback
 * @param cellsAboveMax       ids of cells still above MAX because no OPTICS round split them
 * @param notes               input warnings (skipped rows, photos without GPS...)
 * @param seconds             wall time of the build
 */
public record BuildReport(int pointsUsed, int pointsSkipped, int pointsOutside, List<String> repairedBoundaries,
                          int skippedBoundaries, int unitsWithPoints, int unitsDropped, int countries, int merges,
                          int splits, int bisections, List<String> cellsAboveMax, List<String> notes, double seconds) {

    public BuildReport {
        repairedBoundaries = List.copyOf(repairedBoundaries);
        cellsAboveMax = List.copyOf(cellsAboveMax);
        notes = List.copyOf(notes);
    }
}
