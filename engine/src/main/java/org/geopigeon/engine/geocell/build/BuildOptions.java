package org.geopigeon.engine.geocell.build;

import java.util.Objects;

/**
 * Parameters of the semantic geocell builder.
 *
 * @param minPoints  cells with fewer points are fused with neighbours in the same country (PIGEON 30, PIGEOTTO 1000)
 * @param maxPoints  cells with more points are split with OPTICS + Voronoi (PIGEON 60, PIGEOTTO 2000)
 * @param seed       seed of the random choice of the next small cell to fuse (PIGEON: 330)
 * @param bisect     when no OPTICS round splits a cell above MAX, cut it in two along the principal
 *                   axis of its points where the two halves' spread is least (not in PIGEON, which
 *                   leaves such cells above MAX)
 * @param fuseTarget which neighbour a small cell merges into
 * @param maxFuseRadiusKm a small cell does not merge into a neighbour when a point of the merged cell
 *                   would lie farther than this from the merged cell's mean (it then tries other
 *                   neighbours, else stays below MIN like PIGEON's isolated cells); infinite: no
 *                   limit (PIGEON). Default {@link #DEFAULT_MAX_FUSE_RADIUS_KM}
 *
 * <p>Progress is not a setting: {@link GeocellBuilder#build(PointSet, java.util.List,
 * org.geopigeon.engine.progress.PhaseListener)} takes a listener.
 */
public record BuildOptions(int minPoints, int maxPoints, long seed, boolean bisect, FuseTarget fuseTarget,
                           double maxFuseRadiusKm) {

    public static final long PIGEON_SEED = 330;

    /**
     * 500 km: every photo of a fused cell then lies within 1000 km of every other, the distance
     * beyond which PIGEON's refinement no longer trusts a location inside a cell (its fallback to the
     * cell centroid). A wider cell is a chain of sparse units whose centroid is a poor guess for all
     * of them. On the 100k MP-16 benchmark (3 hold-out splits) it cuts the mean oracle error by
     * 3.4-5.6 km and lifts acc@200 by 0.4-0.7 points, for ~3% more cells (those left below MIN).
     */
    public static final double DEFAULT_MAX_FUSE_RADIUS_KM = 500;

    /** The cell a small cell merges into, among the neighbours of the first non-empty preference group. */
    public enum FuseTarget {
        /** PIGEON: the neighbour with the most points (its centroid moves least). */
        LARGEST,
        /**
         * The neighbour with the least Ward cost — the smallest increase in the squared distances of
         * the points to their cell's mean, which is what a centroid prediction pays. "Largest" can
         * send a small cell to a big neighbour whose photos are hundreds of km away (a city across
         * a large province) while a neighbour with photos next to it is at hand.
         */
        CLOSEST
    }

    public BuildOptions {
        if (minPoints < 1) {
            throw new IllegalArgumentException("min points per cell must be >= 1, got " + minPoints);
        }
        if (maxPoints < 2 * minPoints) {
            // A split must be able to leave two cells of at least minPoints each.
            throw new IllegalArgumentException("max points per cell (" + maxPoints + ") must be at least twice min points ("
                    + minPoints + ")");
        }
        Objects.requireNonNull(fuseTarget, "fuse target");
        if (!(maxFuseRadiusKm > 0)) {
            throw new IllegalArgumentException("max fused cell radius must be > 0 km (infinite for no limit), got "
                    + maxFuseRadiusKm);
        }
    }

    /** With the default fused cell radius limit. */
    public BuildOptions(int minPoints, int maxPoints, long seed, boolean bisect, FuseTarget fuseTarget) {
        this(minPoints, maxPoints, seed, bisect, fuseTarget, DEFAULT_MAX_FUSE_RADIUS_KM);
    }

    /** With the bisection fallback on, fusing into the closest neighbour. */
    public BuildOptions(int minPoints, int maxPoints, long seed) {
        this(minPoints, maxPoints, seed, true, FuseTarget.CLOSEST);
    }

    /** PIGEOTTO's sizes (1000 / 2000), seed 330. */
    public static BuildOptions pigeotto() {
        return new BuildOptions(1000, 2000, PIGEON_SEED);
    }

    /** A copy with another rule for which neighbour a small cell joins ({@code --fuse closest|largest}). */
    public BuildOptions withFuseTarget(FuseTarget target) {
        return new BuildOptions(minPoints, maxPoints, seed, bisect, target, maxFuseRadiusKm);
    }

    /** A copy with another limit, in km from its mean point, on how far a fused cell may reach. */
    public BuildOptions withMaxFuseRadiusKm(double km) {
        return new BuildOptions(minPoints, maxPoints, seed, bisect, fuseTarget, km);
    }
}
