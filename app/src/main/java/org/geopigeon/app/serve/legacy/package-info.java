/**
 * The first API of the service, {@code /api/v1} ({@code LegacyApi}), kept for existing scripts
 * (docs/service.md, "The old /api/v1 API"); it calls the same process adapter and audited service as the OGC API.
 */
package org.geopigeon.app.serve.legacy;
