package org.geopigeon.engine.train;

import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;

/** Class labels of gallery rows: the geocell covering each photo, else the nearest centroid (PIGEON's rule). */
public final class GeocellLabels {

    private GeocellLabels() {
    }

    /**
     * Class label of every gallery row, computed in parallel.
     *
     * @return int [N], N = {@code gallery.size()}, each in [0, C)
     */
    public static int[] assign(GeocellSet cells, Gallery gallery) {
        GeocellIndex index = new GeocellIndex(cells);
        int[] labels = new int[gallery.size()];
        // Rows are independent and GeocellIndex is thread-safe; 100k point-in-polygon tests take seconds.
        java.util.stream.IntStream.range(0, labels.length).parallel()
                .forEach(i -> labels[i] = index.locate(gallery.location(i)));
        return labels;
    }
}
