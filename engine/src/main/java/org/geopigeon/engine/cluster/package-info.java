/**
 * Density clustering with exact scikit-learn 1.2 parity: {@link org.geopigeon.engine.cluster.Optics} (Ankerst et
 * al. 1999, reproducing {@code sklearn.cluster.OPTICS}' {@code compute_optics_graph}) and
 * {@link org.geopigeon.engine.cluster.XiClusters} (its xi-steep cluster extraction), over a
 * {@link org.geopigeon.engine.cluster.NeighborSearch}: {@link org.geopigeon.engine.cluster.DistanceMatrix} (any
 * precomputed metric, e.g. haversine km for refinement clusters) or
 * {@link org.geopigeon.engine.cluster.EuclideanPoints2D} (raw lon/lat on a k-d tree, as PIGEON splits geocells).
 *
 * <p>Written here rather than taken from a library because ELKI, the maintained Java OPTICS, is AGPL. Used by
 * {@code geocell.build} (cell splitting) and {@code train} (refinement clusters); parity is tested against golden
 * labels from {@code tools/make_optics_golden.py}.
 */
package org.geopigeon.engine.cluster;
