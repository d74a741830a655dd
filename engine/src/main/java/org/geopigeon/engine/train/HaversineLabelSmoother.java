package org.geopigeon.engine.train;

import java.util.List;
import java.util.Objects;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;

/**
 * Haversine label smoothing (PIGEON, Haas et al. CVPR 2024, Sec. 3.3): the target of a photo is not
 * one-hot on its geocell but decays with the great-circle distance from the photo to every cell
 * centroid, so a prediction one cell off costs less than one a continent off.
 *
 * <ul>
 *   <li>{@link SmoothingMode#MIN} (default, PIGEON's code): y_i = exp(-(d_i - min_j d_j) / tau);</li>
 *   <li>{@link SmoothingMode#TRUE} (paper's equation): y_i = exp(-(d_i - d_true) / tau), which exceeds 1
 *       for cells whose centroid is nearer than the true cell's;</li>
 *   <li>{@link SmoothingMode#ONE_HOT}: 1 on the true cell, 0 elsewhere.</li>
 * </ul>
 * NaN targets (impossible with valid coordinates, but PIGEON's code guards against them) become 0, and so do
 * targets below the smallest normal float (about 1e-38): float subnormals slow CPU arithmetic by
 * orders of magnitude and carry no training signal.
 *
 * <p>Normalisation: off by default, as in PIGEON's code. Cross-entropy -sum y_i log p_i with
 * unnormalised targets is still minimised at p = y / sum(y); the sum only weights each example
 * (photos in dense regions, with several near centroids, weigh a little more). {@code normalise=true}
 * divides by the sum so every example has weight 1.
 *
 * <p>Immutable and thread-safe. Distances use {@link Haversine} (R = 6371.0088 km).
 */
public final class HaversineLabelSmoother {

    /** PIGEOTTO's tau; PIGEON used 75 km. */
    public static final double DEFAULT_TAU_KM = 65.0;

    private final double tauKm;
    private final SmoothingMode mode;
    private final boolean normalise;
    /** Unit vectors of the centroids: the haversine term h equals |u - c|^2 / 4, so no trigonometry per pair. */
    private final double[] cx;
    private final double[] cy;
    private final double[] cz;

    public HaversineLabelSmoother(List<LatLon> centroids, double tauKm, SmoothingMode mode, boolean normalise) {
        Objects.requireNonNull(mode, "mode");
        if (centroids.isEmpty()) {
            throw new IllegalArgumentException("label smoothing needs at least one cell centroid");
        }
        if (!(tauKm > 0) || Double.isInfinite(tauKm)) {
            throw new IllegalArgumentException("tau must be a finite number of km > 0, got " + tauKm);
        }
        this.tauKm = tauKm;
        this.mode = mode;
        this.normalise = normalise;
        int c = centroids.size();
        cx = new double[c];
        cy = new double[c];
        cz = new double[c];
        for (int i = 0; i < c; i++) {
            double p = Math.toRadians(centroids.get(i).lat());
            double l = Math.toRadians(centroids.get(i).lon());
            cx[i] = Math.cos(p) * Math.cos(l);
            cy[i] = Math.cos(p) * Math.sin(l);
            cz[i] = Math.sin(p);
        }
    }

    /**
     * A smoother over the centroids of {@code cells}, in class order.
     *
     * @throws IllegalArgumentException when there are no cells or tau is not a finite number of km above 0
     */
    public static HaversineLabelSmoother of(GeocellSet cells, double tauKm, SmoothingMode mode, boolean normalise) {
        return new HaversineLabelSmoother(cells.cells().stream().map(Geocell::centroid).toList(), tauKm, mode, normalise);
    }

    /** Number of classes C, the length of every target vector. */
    public int cells() {
        return cx.length;
    }

    /** Great-circle km from a squared chord of the unit sphere: 2 R asin(chord / 2), the haversine formula. */
    private static double km(double chord2) {
        return 2 * Haversine.EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(chord2) / 2));
    }

    private static double square(double x) {
        return x * x;
    }

    /** Temperature tau in km: the distance over which a target decays by a factor e. */
    public double tauKm() {
        return tauKm;
    }

    /** Which distance targets are measured from (nearest centroid, true cell) or none (one-hot). */
    public SmoothingMode mode() {
        return mode;
    }

    /** True when targets are divided by their sum. */
    public boolean normalise() {
        return normalise;
    }

    /** Targets of one photo as a new array of length {@link #cells()}. */
    public float[] targets(LatLon photo, int trueCell) {
        float[] out = new float[cells()];
        targets(photo.lat(), photo.lon(), trueCell, out, 0);
        return out;
    }

    /**
     * Writes the targets of one photo into {@code out[offset .. offset + cells())}.
     *
     * @param trueCell class index of the cell containing the photo (used by TRUE and ONE_HOT; MIN ignores it)
     */
    public void targets(double lat, double lon, int trueCell, float[] out, int offset) {
        int c = cells();
        if (mode != SmoothingMode.MIN && (trueCell < 0 || trueCell >= c)) {
            throw new IllegalArgumentException("true cell " + trueCell + " is outside 0.." + (c - 1));
        }
        if (mode == SmoothingMode.ONE_HOT) {
            java.util.Arrays.fill(out, offset, offset + c, 0f);
            out[offset + trueCell] = 1f;
            return;
        }
        double p = Math.toRadians(lat);
        double l = Math.toRadians(lon);
        double px = Math.cos(p) * Math.cos(l);
        double py = Math.cos(p) * Math.sin(l);
        double pz = Math.sin(p);
        // Squared chord lengths: monotonic in great-circle distance, 3 multiply-adds per cell.
        double[] chord2 = new double[c];
        double minChord2 = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c; i++) {
            double dx = px - cx[i];
            double dy = py - cy[i];
            double dz = pz - cz[i];
            chord2[i] = dx * dx + dy * dy + dz * dz;
            minChord2 = Math.min(minChord2, chord2[i]);
        }
        double ref = km(mode == SmoothingMode.MIN ? minChord2 : chord2[trueCell]);
        // Cells beyond ref + 87.3 tau get exp(...) < smallest normal float, i.e. 0: skip their asin and exp.
        double cutoffKm = ref + tauKm * -Math.log(Float.MIN_NORMAL);
        double cutoffChord2 = cutoffKm >= Math.PI * Haversine.EARTH_RADIUS_KM ? Double.POSITIVE_INFINITY
                : square(2 * Math.sin(cutoffKm / (2 * Haversine.EARTH_RADIUS_KM)));
        double sum = 0;
        double[] d = chord2; // reused in place: entry i is read before it is overwritten
        for (int i = 0; i < c; i++) {
            double y = 0;
            if (chord2[i] <= cutoffChord2) {
                y = Math.exp(-(km(chord2[i]) - ref) / tauKm);
                if (Double.isNaN(y) || y < Float.MIN_NORMAL) {
                    y = 0; // NaN as in PIGEON's code; float subnormals make CPU math crawl and carry no signal
                }
            }
            d[i] = y;
            sum += y;
        }
        double scale = normalise && sum > 0 ? 1 / sum : 1;
        for (int i = 0; i < c; i++) {
            out[offset + i] = (float) (d[i] * scale);
        }
    }
}
