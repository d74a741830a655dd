package org.geopigeon.engine.predict;

import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.GpsFix;
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
 * @param exifGps          the photo's own GPS position, or null (first thing an OSINT analyst checks). Despite the
 *                         name (kept for source compatibility) it may come from the XMP packet: {@code gpsSource} says
 *                         which
 * @param timings          per-stage wall time
 * @param model            name of the model bundle that produced it
 * @param precision        arithmetic the backbone ran in ({@link Precision#id()} is what audit parameters and
 *                         stored predictions record); null when unknown (predictions built outside the pipeline)
 * @param gpsSource        where {@code exifGps} was read in the file (EXIF GPS block or XMP packet, see
 *                         docs/image-input.md); null when there is no position, or when the caller did not say
 *                         ({@link #withExifGps(LatLon)})
 */
public record Prediction(LatLon location, boolean refined, double confidence, List<CellProbability> topCells,
                         LatLon topCellCentroid, LatLon exifGps, StageTimings timings, String model,
                         Precision precision, GpsFix.Source gpsSource) {

    public Prediction {
        topCells = List.copyOf(topCells);
        if (exifGps == null) {
            gpsSource = null; // no position, no source
        }
    }

    /** A prediction whose GPS source is not known (the form before the source was carried). */
    public Prediction(LatLon location, boolean refined, double confidence, List<CellProbability> topCells,
                      LatLon topCellCentroid, LatLon exifGps, StageTimings timings, String model,
                      Precision precision) {
        this(location, refined, confidence, topCells, topCellCentroid, exifGps, timings, model, precision, null);
    }

    /** A prediction whose backbone precision is unknown (kept for callers written before precisions existed). */
    public Prediction(LatLon location, boolean refined, double confidence, List<CellProbability> topCells,
                      LatLon topCellCentroid, LatLon exifGps, StageTimings timings, String model) {
        this(location, refined, confidence, topCells, topCellCentroid, exifGps, timings, model, null, null);
    }

    /** This prediction with the photo's position and no statement of where in the file it was found. */
    public Prediction withExifGps(LatLon gps) {
        return withGps(gps, null);
    }

    /**
     * This prediction with the photo's own position and where it was read.
     *
     * @param gps    the position, or null when the photo has none
     * @param source EXIF or XMP; ignored when {@code gps} is null
     */
    public Prediction withGps(LatLon gps, GpsFix.Source source) {
        return new Prediction(location, refined, confidence, topCells, topCellCentroid, gps, timings, model, precision,
                source);
    }

    /** This prediction with the photo's GPS fix (position and source), or none when {@code fix} is null. */
    public Prediction withGps(GpsFix fix) {
        return fix == null ? withGps(null, null) : withGps(fix.position(), fix.source());
    }

    /** The same prediction with other stage timings (the service adds the decode time it measured). */
    public Prediction withTimings(StageTimings t) {
        return new Prediction(location, refined, confidence, topCells, topCellCentroid, exifGps, t, model, precision,
                gpsSource);
    }
}
