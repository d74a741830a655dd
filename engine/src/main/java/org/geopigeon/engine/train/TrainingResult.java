package org.geopigeon.engine.train;

import java.util.List;
import org.geopigeon.engine.model.GeocellHead;

/**
 * Outcome of {@link HeadTrainer#train}.
 *
 * @param head            weights of the best epoch (lowest validation median km; the last epoch without validation)
 * @param bestEpoch       1-based epoch the head comes from
 * @param history         every epoch run
 * @param trainRows       rows trained on
 * @param valRows         rows held out
 * @param device          DJL device that trained, e.g. "cpu()" or "gpu(0)"
 */
public record TrainingResult(GeocellHead head, int bestEpoch, List<EpochStats> history, int trainRows, int valRows,
                             String device) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Figures of the epoch the head comes from ({@link #bestEpoch()}). */
    public EpochStats best() {
        return history.get(bestEpoch - 1);
    }
}
