-- GeoPigeon schema, part 15: idempotent audit rows for batch jobs (Spark).
-- A Spark task that fails after writing some audit rows is run again; so may be a whole job
-- resubmitted with the same job id. Each row of such a job carries an idempotency key,
-- SHA-256(job id, file path, file content hash) in hex, and the unique index below lets the
-- writer (org.geopigeon.service.store.AuditBatch) skip rows already written: no duplicate and
-- no missing row after a retry. The key is a hash, so the file path is not stored.
-- The key is not part of the chained row text (geopigeon.audit_canonical is unchanged, so every
-- existing row still verifies); the job id is, inside the parameters column.
ALTER TABLE geopigeon.audit_log ADD COLUMN IF NOT EXISTS idempotency_key text;
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_idempotency_key
    ON geopigeon.audit_log (idempotency_key) WHERE idempotency_key IS NOT NULL;
