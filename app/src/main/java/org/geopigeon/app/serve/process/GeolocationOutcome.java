package org.geopigeon.app.serve.process;

import org.geopigeon.service.Located;

/**
 * A geolocation whose audit row is committed.
 *
 * @param located the prediction with its audit and prediction ids
 * @param trained false for demo weights (the answer carries no information)
 */
public record GeolocationOutcome(Located located, boolean trained) {
}
