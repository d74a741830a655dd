package org.geopigeon.engine.geocell.build;

import java.util.List;

/**
 * Training points read from one source, with what had to be skipped.
 *
 * @param source  file or folder the points came from
 * @param points  the valid points, in input order
 * @param skipped rows/photos left out (bad coordinates, no GPS)
 * @param notes   one line per kind of skipped input, with counts and examples
 */
public record PointSet(String source, List<TrainingPoint> points, int skipped, List<String> notes) {

    public PointSet {
        points = List.copyOf(points);
        notes = List.copyOf(notes);
    }
}
