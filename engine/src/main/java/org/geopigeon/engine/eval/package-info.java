/**
 * Scoring models against ground truth with the metrics of the geolocation literature (IM2GPS, YFCC, PIGEON):
 * accuracy within 1 / 25 / 200 / 750 / 2500 km (strictly less than), mean and median error in km, GeoGuessr score
 * round(5000 exp(-d / 1492.7)), geocell top-k and country accuracy ({@link org.geopigeon.engine.eval.ErrorMetrics},
 * {@link org.geopigeon.engine.eval.Evaluator}, {@link org.geopigeon.engine.eval.EvaluationReport}).
 * {@link org.geopigeon.engine.eval.Evaluation} is the one evaluate pipeline (CLI, experiments);
 * {@link org.geopigeon.engine.eval.GeocellOracle} is the error a perfect classifier would still make with a geocell set.
 *
 * <p>Predictions come through {@code predict.EmbeddingLocator}, the same code that serves requests. Plots are drawn by
 * the front ends (the CLI's {@code plot} package), not here.
 */
package org.geopigeon.engine.eval;
