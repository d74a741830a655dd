package org.geopigeon.engine.geocell.build;

import java.util.Objects;
import java.util.function.Consumer;

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
 * @param progress   receives one-line progress messages of the long phases (e.g. System.err::println)
 */
public record BuildOptions(int minPoints, int maxPoints, long seed, boolean bisect, FuseTarget fuseTarget,
                           Consumer<String> progress) {

    public static final long PIGEON_SEED = 330;

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
        progress = progress == null ? s -> { } : progress;
    }

    /** Fusing into the closest neighbour. */
    public BuildOptions(int minPoints, int maxPoints, long seed, boolean bisect, Consumer<String> progress) {
        this(minPoints, maxPoints, seed, bisect, FuseTarget.CLOSEST, progress);
    }

    /** With the bisection fallback on, fusing into the closest neighbour. */
    public BuildOptions(int minPoints, int maxPoints, long seed, Consumer<String> progress) {
        this(minPoints, maxPoints, seed, true, FuseTarget.CLOSEST, progress);
    }

    /** PIGEOTTO's sizes (1000 / 2000), seed 330, no progress output. */
    public static BuildOptions pigeotto() {
        return new BuildOptions(1000, 2000, PIGEON_SEED, true, FuseTarget.CLOSEST, null);
    }

    public BuildOptions withProgress(Consumer<String> sink) {
        return new BuildOptions(minPoints, maxPoints, seed, bisect, fuseTarget, sink);
    }

    public BuildOptions withFuseTarget(FuseTarget target) {
        return new BuildOptions(minPoints, maxPoints, seed, bisect, target, progress);
    }
}
