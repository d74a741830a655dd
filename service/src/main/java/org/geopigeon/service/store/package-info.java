/**
 * PostGIS persistence and the audit log: Flyway migrations from {@code sql/} ({@link org.geopigeon.service.store.Migrations},
 * schema {@code geopigeon}), models, geocells and predictions ({@link org.geopigeon.service.store.PredictionStore}; a
 * prediction, its cells and its audit row in one transaction), the append-only, hash-chained audit log
 * ({@link org.geopigeon.service.store.AuditLog}; the chain is computed in the database, checked by
 * {@code geopigeon.verify_audit_chain()}), its safety net {@link org.geopigeon.service.store.AuditTrail} with the local
 * fsync'd {@link org.geopigeon.service.store.AuditSpool} for refusals while the database is away, idempotent batch rows
 * ({@link org.geopigeon.service.store.AuditBatch}) and connect/statement/lock timeouts
 * ({@link org.geopigeon.service.store.DatabaseTimeouts}).
 *
 * <p>Failures are {@link org.geopigeon.service.store.StoreException}s that say what was being done, never SQL text.
 * Used by {@code org.geopigeon.service} and the front ends' audit commands; depends on PostgreSQL JDBC, Flyway and the
 * engine's {@code geo}/{@code geocell}. Table layout: docs/postgis.md; ethics rules: docs/ethics.md.
 */
package org.geopigeon.service.store;
