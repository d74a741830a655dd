-- GeoPigeon schema, part 13: who writes keyed audit rows (documentation only; no data or structure changes).
-- V7's comment says request_key is NULL "for rows written without one (accepted requests)", as if keyed rows
-- came only from the local spool. Since the Spark batch job (issue 11) that is not so: request_key is the
-- idempotency key of an audit row, whoever writes it.
-- * The service's local spool (AuditTrail/AuditSpool): rows of REFUSED or FAILED requests get a key before
--   their first write attempt, so a replay inserts each row at most once; spooled_at is then the time of the
--   refusal when the row waited in the spool.
-- * The Spark batch job (org.geopigeon.spark, through org.geopigeon.service.store.AuditBatch): every file of a
--   job gets a key derived from the job id, the file's path and its content hash, for ACCEPTED rows as well as
--   refused and failed ones, so a retried task or a resubmitted job adds no duplicate and leaves no gap.
--   spooled_at stays NULL: batch rows never wait in a spool.
-- * Rows of the CLI, the HTTP service and the WPS process that are accepted are written without a key (NULL).
-- V7 itself stays as applied (Flyway checksums); the column comment below is what psql's \d+ shows.

COMMENT ON COLUMN geopigeon.audit_log.request_key IS
    'Idempotency key: the row is inserted at most once per key. Set for refused/failed rows that went through'
    ' the service''s local spool, and for every row of a Spark batch job (accepted ones included: job id, path'
    ' and content hash); NULL for other accepted rows';
COMMENT ON COLUMN geopigeon.audit_log.spooled_at IS
    'When a row that waited in the local spool was spooled (the time of the refusal); NULL for rows written'
    ' directly, batch rows included';
