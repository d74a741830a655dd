/**
 * OGC API - Processes - Part 1: Core 1.0 (OGC 18-062r2) routes and documents: landing page, conformance, process list
 * and descriptions, execution ({@code OgcApi}, {@code ExecutionResponder}: clause 7.11.4 response modes), the JSON
 * documents as Jackson-bound records ({@code Documents}, {@code Link} per RFC 8288, {@code Rels}) and the OpenAPI 3.0
 * description ({@code OpenApiDocument}).
 */
package org.geopigeon.app.serve.ogc;
