/**
 * Health probes of the standalone service: {@code GET /health/live} (the process answers HTTP) and
 * {@code GET /health/ready} ({@code ReadinessMonitor}: an audit row could be written now, since the service answers only
 * what it can audit).
 */
package org.geopigeon.app.serve.health;
