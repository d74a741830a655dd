/**
 * The service layer every front end calls (CLI {@code locate --store}, the HTTP service, the GeoServer WPS process,
 * Spark batch): GeoTools-free and transport-free. Dependencies point front ends -> this package -> {@code engine}.
 *
 * <p>One call, {@link org.geopigeon.service.AuditedGeolocation#locate}, takes a
 * {@link org.geopigeon.service.LocateRequest} of undecoded {@link org.geopigeon.service.ImageUpload}s with a purpose and
 * a {@link org.geopigeon.service.RequestContext}, applies {@link org.geopigeon.service.ImageRules} (25 MiB,
 * JPEG/PNG/WebP matching the declared type, 80 megapixels, 32 px minimum) before anything is decoded, reserves decoded
 * pixels in the {@code PixelBudget}, runs the engine's {@code Geolocator}, and returns a
 * {@link org.geopigeon.service.Located} holding the one answer model {@link org.geopigeon.service.GeolocationResult}
 * only after its audit row is committed (fail closed; docs/ethics.md). A refusal is a
 * {@link org.geopigeon.service.GeolocationException} with a client-safe message and an {@code ErrorCode}; server-side
 * detail goes to the log under an incident id ({@link org.geopigeon.service.Incidents}).
 *
 * <p>Models are loaded once per settings by {@link org.geopigeon.service.ModelHolder} and shared through the
 * {@link org.geopigeon.service.ServiceRegistry}, which has an owner and a close (no static mutable state; GeoServer's
 * per-request beans use {@link org.geopigeon.service.SharedServices}). Settings: {@link org.geopigeon.service.GeoPigeonConfig}
 * (system property, else environment variable). Storage and the audit log are {@code service.store}.
 */
package org.geopigeon.service;
