/**
 * Model bundles: the folder a model is loaded from and written to ({@code manifest.json}, TorchScript backbone,
 * {@code head.safetensors}, {@code geocells.geojson}, optional {@code refinement.safetensors}; format:
 * docs/bundle-format.md). {@link org.geopigeon.engine.bundle.BundleManifest} is the manifest,
 * {@link org.geopigeon.engine.bundle.ModelBundle} loads and validates everything at load time (a broken bundle fails
 * there with a {@link org.geopigeon.engine.bundle.BundleException} naming the file and the problem, never later during
 * a request), {@link org.geopigeon.engine.bundle.BundleLocator} decides which folder to use ({@code --bundle}, then
 * {@code -Dgeopigeon.bundle}, {@code GEOPIGEON_BUNDLE}, the demo bundle) and {@code BundleFolder} is how every writer
 * creates a new bundle without leaving a half-written one.
 *
 * <p>Depends on {@code model}, {@code geocell}, {@code refine}, {@code preprocess}, {@code clip} and {@code io}; the
 * service's {@code ModelHolder} and the front ends load models only through it.
 */
package org.geopigeon.engine.bundle;
