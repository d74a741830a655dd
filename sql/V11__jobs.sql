-- GeoPigeon schema, part 11: jobs of the OGC API - Processes interface of the standalone service.
-- A job keeps its status and, once finished, its results (the outputs, never the input images) until
-- `expires`; the service then deletes the row. Audit rows are not touched: audit_id has no foreign key.

CREATE TABLE IF NOT EXISTS geopigeon.jobs (
    id            uuid        PRIMARY KEY,
    process_id    text        NOT NULL,
    owner         text        NOT NULL,                 -- principal that created the job
    status        text        NOT NULL CHECK (status IN ('accepted', 'running', 'successful', 'failed', 'dismissed')),
    message       text,
    progress      integer     CHECK (progress BETWEEN 0 AND 100),
    created       timestamptz NOT NULL DEFAULT clock_timestamp(),
    started       timestamptz,
    finished      timestamptz,
    updated       timestamptz NOT NULL DEFAULT clock_timestamp(),
    request       jsonb       NOT NULL DEFAULT '{}',    -- response mode and requested outputs, never inputs
    results       jsonb,                                -- output values of a successful job
    problem       jsonb,                                -- problem details of a failed job
    audit_id      bigint,
    prediction_id bigint,
    expires       timestamptz,                          -- when the row (and its results) is deleted
    instance      text        NOT NULL                  -- server instance running it
);
CREATE INDEX IF NOT EXISTS jobs_owner_created ON geopigeon.jobs (owner, created DESC);
CREATE INDEX IF NOT EXISTS jobs_created ON geopigeon.jobs (created DESC);
CREATE INDEX IF NOT EXISTS jobs_expires ON geopigeon.jobs (expires) WHERE expires IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON geopigeon.jobs TO geopigeon_app;
