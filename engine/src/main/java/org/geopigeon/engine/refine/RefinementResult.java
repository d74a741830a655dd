package org.geopigeon.engine.refine;

import org.geopigeon.engine.geo.LatLon;

/**
 * Outcome of retrieval refinement.
 *
 * @param point          the location to report: the chosen gallery member's coordinate when {@code refined},
 *                       else the top-1 cell centroid
 * @param refined        true when a gallery member was chosen and kept
 * @param chosenCell     class index of the cell whose candidate won (the top-1 cell when nothing could be refined)
 * @param chosenMember   row of the chosen member in the {@link RefinementIndex}, or -1
 * @param distanceFromTopCentroidKm great-circle distance from the winning candidate to the top-1 centroid
 *                       (0 when no candidate existed)
 * @param outcome        why the point is what it is
 */
public record RefinementResult(LatLon point, boolean refined, int chosenCell, int chosenMember,
                               double distanceFromTopCentroidKm, Outcome outcome) {

    /** Why refinement did or did not move the point. */
    public enum Outcome {
        /** A gallery member won and lies within the fallback distance. */
        REFINED,
        /** The winning member lies farther than the fallback distance from the top-1 centroid. */
        FELL_BACK_TOO_FAR,
        /** None of the candidate cells has clusters in the index. */
        NO_CLUSTERS
    }
}
