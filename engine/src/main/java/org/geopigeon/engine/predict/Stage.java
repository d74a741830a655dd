package org.geopigeon.engine.predict;

import java.util.concurrent.CancellationException;

/** Pipeline stages in order, for progress reporting. */
public enum Stage {
    DECODE, PREPROCESS, BACKBONE, HEAD, REFINE, DONE;

    /**
     * The pipeline's cancellation point, called between stages (never inside a forward pass).
     *
     * @throws CancellationException when {@code listener} says the request is cancelled, naming {@code next}
     */
    static void check(StageListener listener, Stage next) {
        if (listener.isCancelled()) {
            throw new CancellationException("geolocation cancelled before stage " + next);
        }
    }
}
