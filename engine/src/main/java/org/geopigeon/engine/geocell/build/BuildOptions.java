package org.geopigeon.engine.geocell.build;

import java.util.function.Consumer;

/**
 * Parameters of the semantic geocell builder.
 *
 * @param minPoints cells with fewer points are fused with neighbours in the same country (PIGEON 30, PIGEOTTO 1000)
 * @param maxPoints cells with more points are split with OPTICS + Voronoi (PIGEON 60, PIGEOTTO 2000)
 * @param seed      seed of the random choice of the next small cell to fuse (PIGEON: 330)
 * @param bisect    when no OPTICS round splits a cell above MAX, cut it in two at the median of its
 *                  wider coordinate (not in PIGEON, which leaves such cells above MAX)
 * @param progress  receives one-line progress messages of the long phases (e.g. System.err::println)
 */
public record BuildOptions(int minPoints, int maxPoints, long seed, boolean bisect, Consumer<String> progress) {

    public static final long PIGEON_SEED = 330;

    public BuildOptions {
        if (minPoints < 1) {
            throw new IllegalArgumentException("min points per cell must be >= 1, got " + minPoints);
        }
        if (maxPoints < 2 * minPoints) {
            // A split must be able to leave two cells of at least minPoints each.
            throw new IllegalArgumentException("max points per cell (" + maxPoints + ") must be at least twice min points ("
                    + minPoints + ")");
        }
        progress = progress == null ? s -> { } : progress;
    }

    /** With the bisection fallback on. */
    public BuildOptions(int minPoints, int maxPoints, long seed, Consumer<String> progress) {
        this(minPoints, maxPoints, seed, true, progress);
    }

    /** PIGEOTTO's sizes (1000 / 2000), seed 330, no progress output. */
    public static BuildOptions pigeotto() {
        return new BuildOptions(1000, 2000, PIGEON_SEED, true, null);
    }

    public BuildOptions withProgress(Consumer<String> sink) {
        return new BuildOptions(minPoints, maxPoints, seed, bisect, sink);
    }
}
