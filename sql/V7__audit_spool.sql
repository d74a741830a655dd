-- GeoPigeon schema, part 7: audit rows that waited in the service's local spool.
-- When the database cannot take the audit row of a refused or failed request (stopped, frozen, INSERT
-- refused), the service appends it to a local, fsync'd spool file and replays it into this table when the
-- database is back (docs/ethics.md). Accepted requests are never spooled: no audit row, no result.
-- * request_key: the idempotency key the service gives a refusal's row before its first attempt to write it.
--   The row is inserted once under that key, whether the first attempt committed unseen (connection lost
--   during COMMIT) and the spool replays it anyway, or several processes replay the same spool
--   (INSERT ... ON CONFLICT (request_key) DO NOTHING). NULL for rows written without one (accepted requests).
-- * spooled_at: for a row that waited in the spool, when it was spooled (the time of the refusal); ts stays
--   the time the row joined the chain, so id order = chain order = ts order holds for every row.

ALTER TABLE geopigeon.audit_log ADD COLUMN IF NOT EXISTS request_key uuid;
ALTER TABLE geopigeon.audit_log ADD COLUMN IF NOT EXISTS spooled_at timestamptz;
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_request_key ON geopigeon.audit_log (request_key);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conname = 'audit_log_spooled_has_key' AND conrelid = 'geopigeon.audit_log'::regclass) THEN
        ALTER TABLE geopigeon.audit_log
            ADD CONSTRAINT audit_log_spooled_has_key CHECK (spooled_at IS NULL OR request_key IS NOT NULL);
    END IF;
END
$$;

-- The canonical text (what row_hash covers) gains the two columns, for rows that have them only: every row
-- written before keeps exactly its old text, so the existing chain still verifies.
CREATE OR REPLACE FUNCTION geopigeon.audit_canonical(r geopigeon.audit_log) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$
SELECT (jsonb_build_array(
                r.id,
                to_char(r.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                r.principal, r.client_address, r.purpose, to_jsonb(r.image_sha256), r.parameters,
                r.outcome, r.error_code, r.prediction_id, r.model)
        || CASE WHEN r.request_key IS NULL AND r.spooled_at IS NULL THEN '[]'::jsonb
                ELSE jsonb_build_array(r.request_key,
                                       to_char(r.spooled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           END)::text
$$;
