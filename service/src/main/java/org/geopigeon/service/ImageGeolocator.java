package org.geopigeon.service;

import java.awt.image.BufferedImage;
import java.util.List;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;

/**
 * The inference step as {@link AuditedGeolocation} needs it; {@code Geolocator::locate} fits.
 * Must be thread-safe and throw {@link java.util.concurrent.CancellationException} when the listener cancels.
 */
@FunctionalInterface
public interface ImageGeolocator {

    /** @param views one TYPE_INT_RGB image, or four panorama views */
    Prediction locate(List<BufferedImage> views, LocateOptions options, StageListener listener);
}
