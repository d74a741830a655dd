package org.geopigeon.wps;

import java.util.concurrent.CancellationException;
import org.geopigeon.engine.predict.Stage;
import org.geopigeon.engine.predict.StageListener;
import org.geotools.api.util.ProgressListener;
import org.geotools.util.SimpleInternationalString;

/** Reports pipeline stages to a GeoTools/GeoServer progress listener and passes its cancel flag back. */
final class ProgressBridge implements StageListener {

    private final ProgressListener listener;

    ProgressBridge(ProgressListener listener) {
        this.listener = listener;
    }

    @Override
    public void onStage(Stage stage, float fraction) {
        if (listener != null) {
            try {
                listener.setTask(new SimpleInternationalString(stage.name().toLowerCase(java.util.Locale.ROOT)));
                listener.progress(Math.max(0f, Math.min(100f, fraction * 100f)));
            } catch (RuntimeException e) {
                // GeoServer throws ProcessDismissedException from progress() after a Dismiss request.
                CancellationException c = new CancellationException("dismissed by the client: " + e.getMessage());
                c.initCause(e);
                throw c;
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return listener != null && listener.isCanceled();
    }
}
