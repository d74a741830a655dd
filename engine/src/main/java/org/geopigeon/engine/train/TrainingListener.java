package org.geopigeon.engine.train;

import java.util.Objects;
import java.util.function.Consumer;
import org.geopigeon.engine.progress.PhaseListener;

/**
 * Progress of a training run: its {@link TrainingPhase}s, plus every finished epoch with its figures (as DJL's
 * {@code TrainingListener.onEpoch}). The default {@link #epochFinished} turns the epoch into a note
 * ({@link EpochStats#describe}), so a listener that prints notes shows the epochs too.
 */
public interface TrainingListener extends PhaseListener<TrainingPhase> {

    /** Silent. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * One epoch of head training is done.
     *
     * @param maxEpochs the configured maximum (early stopping may end the run before it)
     */
    default void epochFinished(EpochStats stats, int maxEpochs) {
        note(TrainingPhase.TRAIN, stats.describe(maxEpochs));
    }

    /** A listener that hands every note (epochs included) to {@code sink}: a log, stderr. */
    static TrainingListener lines(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return new TrainingListener() {
            @Override
            public void note(TrainingPhase phase, String line) {
                sink.accept(line);
            }
        };
    }
}
