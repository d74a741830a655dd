package org.geopigeon.engine.train;

import java.util.Locale;

/** How training targets are spread over geocells. */
public enum SmoothingMode {
    /**
     * PIGEON's code: y_i = exp(-(d_i - min_j d_j) / tau), d = haversine km from the photo to each cell
     * centroid. The nearest centroid gets 1, every other cell less; values never exceed 1.
     */
    MIN,
    /**
     * The paper's formula: y_i = exp(-(d_i - d_true) / tau) with d_true the distance to the centroid of
     * the cell that contains the photo. When a nearer centroid than the true cell's exists (photo near
     * a cell border, or an elongated cell) that cell gets a target above 1.
     */
    TRUE,
    /** Classic one-hot target on the true cell: no geographic smoothing (baseline). */
    ONE_HOT;

    /** Parses "min", "true", "onehot"/"one-hot"/"one_hot" case-insensitively. */
    public static SmoothingMode parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (k) {
            case "min" -> MIN;
            case "true" -> TRUE;
            case "onehot" -> ONE_HOT;
            default -> throw new IllegalArgumentException("unknown smoothing '" + s + "'; use min, true or onehot");
        };
    }
}
