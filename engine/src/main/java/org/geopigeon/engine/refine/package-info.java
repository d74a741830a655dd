/**
 * PIGEON's hierarchical retrieval refinement (Haas et al., CVPR 2024, Sec. 3.6; reference code
 * {@code proto_refiner.py}): within the top-K geocells of the head, the nearest cluster prototype of training
 * embeddings, then the nearest member, gives a point finer than a cell centroid.
 * {@link org.geopigeon.engine.refine.RefinementIndex} holds clusters and members as float16 rows memory-mapped in
 * 1 GiB segments (PIGEOTTO scale: about 4.5 million x 1024), {@link org.geopigeon.engine.refine.RefinementIndexWriter}
 * streams one to disk ({@code geopigeon-refinement/1}, docs/bundle-format.md),
 * {@link org.geopigeon.engine.refine.RetrievalRefiner} runs the query (softmax over -distance / T, weighted by the
 * cell probabilities, fallback to the top cell beyond a maximum distance in km).
 *
 * <p>Called by {@code predict.EmbeddingLocator}; the index is built by {@code train.RefinementIndexBuilder}.
 */
package org.geopigeon.engine.refine;
