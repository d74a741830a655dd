/**
 * Asynchronous execution of OGC API - Processes ({@code Prefer: respond-async}, OGC 18-062r2 clause 7.11.4; job
 * status, clause 7.12): {@code AsyncJobRunner} (a fixed pool of workers), {@code JobStore} (jobs and results in
 * PostGIS, migration V11, so a restart loses no finished job), {@code JobStatus} (the standard's status codes),
 * {@code JobJanitor} (retention and abandoned jobs).
 */
package org.geopigeon.app.serve.jobs;
