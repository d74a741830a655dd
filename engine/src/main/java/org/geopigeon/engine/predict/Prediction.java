package org.geopigeon.engine.predict;

import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.model.Precision;

/**
 * The answer for one image or one panorama.
 *
 * @param location         point estimate (refined when {@code refined}, else the top-1 cell centroid)
 * @param refined          true when retrieval refinement chose the point; false when it was off,
 *                         had no index, or fell back to the top-1 centroid (too far away)
 * @param confidence       1 - H(p)/ln(C): 1 when all mass is on one cell, 0 for a uniform guess
 * @param topCells         the K most probable cells, rank 1 first
 * @param topCellCentroid  centroid of the rank-1 cell
 * @param exifGps          GPS position from the image's EXIF, or null (first thing an OSINT analyst checks)
 * @param timings          per-stage wall time
 * @param model            name of the model bundle that produced it
 * @param precision        arithmetic the backbone ran in ({@link Precision#id()} is what audit parameters and
 *                         stored predictions record); null when unknown (predictions built outside the pipeline)
 */
public record Prediction(LatLon location, boolean refined, double confidence, List<CellProbability> topCells,
                         LatLon topCellCentroid, LatLon exifGps, StageTimings timings, String model,
                         Precision precision) {

    public Prediction {
        topCells = List.copyOf(topCells);
    }

    /** A prediction whose backbone precision is unknown (kept for callers written before precisions existed). */
    public Prediction(LatLon location, boolean refined, double confidence, List<CellProbability> topCells,
                      LatLon topCellCentroid, LatLon exifGps, StageTimings timings, String model) {
        this(location, refined, confidence, topCells, topCellCentroid, exifGps, timings, model, null);
    }

    public Prediction withExifGps(LatLon gps) {
        return new Prediction(location, refined, confidence, topCells, topCellCentroid, gps, timings, model, precision);
    }

    public Prediction withTimings(StageTimings t) {
        return new Prediction(location, refined, confidence, topCells, topCellCentroid, exifGps, t, model, precision);
    }
}
