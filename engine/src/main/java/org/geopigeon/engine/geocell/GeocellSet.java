package org.geopigeon.engine.geocell;

import java.util.List;

/**
 * The ordered geocells of one model: element i is class i of the head.
 */
public record GeocellSet(String name, List<Geocell> cells) {

    public GeocellSet {
        cells = List.copyOf(cells);
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).index() != i) {
                throw new IllegalArgumentException("geocell at position " + i + " has class index "
                        + cells.get(i).index() + "; indices must be 0..n-1 in order");
            }
        }
    }

    /** Number of cells C, also the number of classes of the head. */
    public int size() {
        return cells.size();
    }

    /**
     * Cell of class {@code index}.
     *
     * @throws IndexOutOfBoundsException unless 0 <= index < {@link #size()}
     */
    public Geocell get(int index) {
        return cells.get(index);
    }
}
