/**
 * The inference pipeline, written once for every front end: {@link org.geopigeon.engine.predict.Geolocator}
 * (decoded images -> preprocess -> backbone -> {@link org.geopigeon.engine.predict.EmbeddingLocator} ->
 * {@link org.geopigeon.engine.predict.Prediction}) and {@code EmbeddingLocator} (embedding -> head softmax -> top-K
 * cells -> refinement; also used by evaluation so scores measure the code that serves). Requests take
 * {@link org.geopigeon.engine.predict.LocateOptions} (top-K up to {@code LocateOptions.MAX_TOP_K} = 50, refinement on
 * or off); a panorama is {@code Geolocator.PANORAMA_VIEWS} = 4 views 90 degrees apart whose embeddings are averaged
 * (PIGEON). {@link org.geopigeon.engine.predict.StageListener} reports stages and lets a caller cancel;
 * {@code StageTimings} are the per-stage milliseconds every answer carries.
 *
 * <p>The service layer ({@code org.geopigeon.service.AuditedGeolocation}) calls this package; it depends on
 * {@code image}, {@code preprocess}, {@code model}, {@code geocell}, {@code refine} and {@code bundle}.
 */
package org.geopigeon.engine.predict;
