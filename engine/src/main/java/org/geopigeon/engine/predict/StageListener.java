package org.geopigeon.engine.predict;

/**
 * Progress and cancellation hook: the pipeline calls {@link #onStage} before each stage and checks
 * {@link #isCancelled()} between stages (never inside a forward pass).
 */
public interface StageListener {

    StageListener NONE = new StageListener() {
        @Override
        public void onStage(Stage stage, float fraction) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    /** @param fraction overall progress in [0,1] when this stage starts */
    void onStage(Stage stage, float fraction);

    /**
     * Polled between stages and batches; true stops the pipeline with a {@code CancellationException}. Must be cheap
     * and thread-safe.
     */
    boolean isCancelled();
}
