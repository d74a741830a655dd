package org.geopigeon.engine.progress;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Progress of a long job that runs in named phases (building geocells, training a head, evaluating a model),
 * typed by the job's phase enum as inference's {@code predict.StageListener} is by its {@code Stage}s. The job
 * calls it on its own thread; every method has a no-op default, so a listener implements only what it shows: the
 * CLI draws a progress bar from {@link #progressed} and prints {@link #note}s, a log or the Spark driver keeps only
 * the notes ({@link #lines}).
 *
 * @param <P> the job's phases, in the order they run
 */
public interface PhaseListener<P extends Enum<P>> {

    /**
     * A phase starts.
     *
     * @param total units the phase will handle (points, photos, epochs, cells), or -1 when unknown
     */
    default void started(P phase, long total) {
    }

    /** {@code done} of {@code total} units of the phase are finished (called at most every few hundred ms, or per unit). */
    default void progressed(P phase, long done, long total) {
    }

    /** One line for a person: what a phase did, a skipped input, a warning. */
    default void note(P phase, String line) {
    }

    /** A listener that ignores everything. */
    static <P extends Enum<P>> PhaseListener<P> none() {
        return new PhaseListener<>() {
        };
    }

    /** A listener that hands every {@link #note} to {@code sink} (a log, stderr) and ignores the rest. */
    static <P extends Enum<P>> PhaseListener<P> lines(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return new PhaseListener<>() {
            @Override
            public void note(P phase, String line) {
                sink.accept(line);
            }
        };
    }
}
