/**
 * The standalone service {@code geopigeon serve} on Javalin 7 / Jetty 12: OGC API - Processes - Part 1: Core 1.0
 * (OGC 18-062r2) with a {@code geolocate} process, the stored predictions as GeoJSON, the audit log for auditors, health
 * probes and a Leaflet map viewer. {@code GeoPigeonServer} wires the subpackages: {@code http} (access gate, problem
 * details per RFC 7807, upload budget and rates), {@code auth} (API tokens, roles), {@code ogc} (routes, documents,
 * OpenAPI), {@code process} (the processes and the one adapter to the audited service), {@code jobs} (asynchronous
 * execution kept in PostGIS), {@code health}, {@code legacy} ({@code /api/v1}) and {@code viewer}.
 *
 * <p>A front end: transport in, one {@code org.geopigeon.service.AuditedGeolocation} call, the answer model out as
 * GeoJSON ({@code PredictionGeoJson}). It refuses to start without a database, because every request is audited. API,
 * limits and security: docs/service.md.
 */
package org.geopigeon.app.serve;
