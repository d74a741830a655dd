/**
 * File formats shared by the engine's writers and readers: Hugging Face safetensors
 * ({@link org.geopigeon.engine.io.Safetensors}, format spec: github.com/huggingface/safetensors, "Format"), IEEE 754
 * half precision ({@link org.geopigeon.engine.io.Half}), RFC 7946 GeoJSON geometries to and from JTS
 * ({@link org.geopigeon.engine.io.GeoJsonGeometry}) and coordinate tables
 * ({@link org.geopigeon.engine.io.CoordinateCsv}: the one set of rules for headers, lat/lon order and bad rows, on
 * commons-csv), and {@link org.geopigeon.engine.io.AtomicFiles}, the one way an output file is published (temporary
 * file in the same folder, fsync, atomic rename) by every writer in the project.
 *
 * <p>Low in the engine: {@code bundle}, {@code geocell}, {@code refine}, {@code train} and {@code eval} read and write
 * through it; it depends only on {@code geo}.
 */
package org.geopigeon.engine.io;
