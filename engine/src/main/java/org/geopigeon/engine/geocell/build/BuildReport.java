package org.geopigeon.engine.geocell.build;

import java.util.List;

/**
 * What a build did, for the summary and for judging the input, in three groups.
 *
 * @param input   what the points and boundary files held
 * @param units   how the boundary units became cells
 * @param steps   what fusing and splitting did
 * @param notes   input warnings (skipped rows, photos without GPS...)
 * @param seconds wall time of the build
 */
public record BuildReport(Input input, Units units, Steps steps, List<String> notes, double seconds) {

    public BuildReport {
        notes = List.copyOf(notes);
    }

    /** A list for a one-line message: its first ten items, then how many there are in all. */
    public static String abbreviate(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(10, items.size())))
                + (items.size() > 10 ? ", ... (" + items.size() + " in all)" : "");
    }

    /**
     * @param pointsUsed         points that went into cells
     * @param pointsSkipped      input rows/photos skipped (bad coordinates, no GPS)
     * @param pointsOutside      points covered by no boundary polygon, assigned to the nearest one
     * @param repairedBoundaries "file: name" of each boundary polygon that was invalid and repaired
     * @param skippedBoundaries  boundary features without a usable polygon
     */
    public record Input(int pointsUsed, int pointsSkipped, int pointsOutside, List<String> repairedBoundaries,
                        int skippedBoundaries) {
        public Input {
            repairedBoundaries = List.copyOf(repairedBoundaries);
        }
    }

    /**
     * @param withPoints finest admin units holding at least one point
     * @param dropped    empty units in countries without any point (their land has no cell)
     * @param countries  countries with at least one cell
     */
    public record Units(int withPoints, int dropped, int countries) {
    }

    /**
     * @param merges        fuse operations
     * @param splits        successful splits (bisections included)
     * @param bisections    splits made by the principal-axis bisection fallback
     * @param cellsAboveMax ids of cells still above MAX because no OPTICS round split them
     */
    public record Steps(int merges, int splits, int bisections, List<String> cellsAboveMax) {
        public Steps {
            cellsAboveMax = List.copyOf(cellsAboveMax);
        }
    }
}
