package org.geopigeon.engine.predict;

/**
 * Per-request settings. Null fields take the model bundle's defaults.
 *
 * @param topK        cells to return (1..50)
 * @param refine      run retrieval refinement (default true when the bundle has an index)
 */
public record LocateOptions(Integer topK, Boolean refine) {

    /**
     * Most cells one request may ask for: the one home of this limit (CLI, OGC API, WPS {@code maxValue}, the
     * service's refusal). A page of 50 polygons stays a readable answer; the {@code top_k} check of migration V3
     * ({@code sql/V3__predictions.sql}) repeats the number for the database.
     */
    public static final int MAX_TOP_K = 50;

    public LocateOptions {
        if (topK != null && (topK < 1 || topK > MAX_TOP_K)) {
            throw new IllegalArgumentException("topK must be between 1 and " + MAX_TOP_K + ", got " + topK);
        }
    }

    /** The bundle's defaults for everything. */
    public static LocateOptions defaults() {
        return new LocateOptions(null, null);
    }

    /**
     * Return {@code k} cells, other settings from the bundle.
     *
     * @throws IllegalArgumentException unless 1 <= k <= {@value #MAX_TOP_K}
     */
    public static LocateOptions topK(int k) {
        return new LocateOptions(k, null);
    }
}
