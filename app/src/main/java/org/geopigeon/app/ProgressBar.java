package org.geopigeon.app;

import java.io.PrintWriter;

/**
 * Progress of a long run on stderr: images located, points assigned, epochs trained. On a terminal one line
 * redrawn in place with {@code \r} ("[=====>    ] 12/40 images"); otherwise (logs, pipes) a plain line each time
 * another tenth is done ("1/9 images (11%)"), so logs stay readable.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long total;
    private final boolean interactive;
    private final String unit;
    private long done;
    private int lastDecile;
    private boolean lineOpen;

    ProgressBar(PrintWriter err, int total, boolean interactive) {
        this(err, total, interactive, "images");
    }

    /** @param unit what is counted, plural ("images", "points", "epochs") */
    ProgressBar(PrintWriter err, long total, boolean interactive, String unit) {
        this.err = err;
        this.total = total;
        this.interactive = interactive;
        this.unit = unit;
    }

    void advance(int images) {
        advanceTo(done + images);
    }

    /** Shows {@code count} of the total done (clamped to the total). */
    void advanceTo(long count) {
        done = Math.min(total, count);
        if (interactive) {
            int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
            StringBuilder bar = new StringBuilder("\r[");
            for (int i = 0; i < WIDTH; i++) {
                bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            bar.append("] ").append(done).append('/').append(total).append(' ').append(unit);
            err.print(bar);
            lineOpen = true;
        } else {
            int decile = total == 0 ? 10 : (int) (done * 10 / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                // The true share, rounded down (1/9 is 11%, not the decile's 10%); 100% only when all are done.
                long percent = total == 0 ? 100 : done * 100 / total;
                err.println(done + "/" + total + " " + unit + " (" + percent + "%)");
            }
        }
        err.flush();
    }

    /** Prints a message on its own line; the bar is redrawn below it at the next {@link #advance}. */
    void message(String line) {
        clearLine();
        err.println(line);
        err.flush();
    }

    /**
     * Erases the in-place bar so that a result printed on stdout (often the same terminal) starts at
     * the beginning of a clean line.
     */
    void clearLine() {
        if (lineOpen) {
            err.print("\r\033[K");
            err.flush();
            lineOpen = false;
        }
    }

    void finish() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
        err.flush();
    }
}
