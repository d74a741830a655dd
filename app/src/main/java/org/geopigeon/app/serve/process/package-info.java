/**
 * The processes of the standalone service and what they share: {@code OgcProcess} (one process: its description
 * {@code ProcessSpec}, {@code InputSpec}, {@code OutputSpec} per OGC 18-062r2 clause 7.10, and its execution),
 * {@code GeolocateProcess} and {@code EchoProcess}, {@code ProcessRegistry}, the streaming execute-request reader
 * ({@code ExecuteRequestReader}, clause 7.11.2), the fetcher of inputs given by reference ({@code HrefFetcher}, off
 * unless allowed) and {@code GeolocationAdapter}, the one place the HTTP service calls
 * {@code org.geopigeon.service.AuditedGeolocation}. Requests refused before they reach the service are still audited
 * ({@code RefusalAudit}).
 */
package org.geopigeon.app.serve.process;
