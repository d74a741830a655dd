package org.geopigeon.app;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;
import org.geopigeon.engine.progress.PhaseListener;

/**
 * Shows an engine job's {@link PhaseListener} on stderr, the same way for every command: each note on its own line,
 * and for a phase that says how many units it will handle a {@link ProgressBar} (redrawn in place on a terminal,
 * a line every 10% in logs). Used by {@code geocells build}, {@code train} and {@code evaluate}.
 *
 * @param <P> the job's phase enum
 */
class CliProgress<P extends Enum<P>> implements PhaseListener<P> {

    private final PrintWriter err;
    private final boolean interactive;
    private final Function<P, String> unit;
    private ProgressBar bar;

    /**
     * @param unit what a phase counts, plural ("points"), or null for phases that only write notes
     */
    CliProgress(PrintWriter err, Function<P, String> unit) {
        this(err, System.console() != null, unit);
    }

    CliProgress(PrintWriter err, boolean interactive, Function<P, String> unit) {
        this.err = err;
        this.interactive = interactive;
        this.unit = unit;
    }

    @Override
    public void started(P phase, long total) {
        finish();
        String u = unit.apply(phase);
        if (total > 0 && u != null) {
            bar = new ProgressBar(err, total, interactive, u);
        }
    }

    @Override
    public void progressed(P phase, long done, long total) {
        if (bar != null) {
            bar.advanceTo(done);
        }
    }

    @Override
    public void note(P phase, String line) {
        if (bar != null) {
            bar.message(line);
        } else {
            err.println(line);
            err.flush();
        }
    }

    /** Ends the current bar's line; call when the job is done (or failed) before printing anything else. */
    void finish() {
        if (bar != null) {
            bar.finish();
            bar = null;
        }
    }

    /** The phase's name in lower case, for messages. */
    static String name(Enum<?> phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }
}
