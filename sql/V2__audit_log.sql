-- GeoPigeon schema, part 2: append-only, hash-chained audit log.
-- One row per geolocation request, accepted or not. Holds hashes of the decoded pixels, never images.
-- row_hash = sha256(prev_hash || canonical row text), computed here in the database by a trigger
-- that serialises inserts with an advisory lock, so the chain is linear whatever the client does.

CREATE SEQUENCE IF NOT EXISTS geopigeon.audit_log_id_seq;
CREATE TABLE IF NOT EXISTS geopigeon.audit_log (
    id             bigint      PRIMARY KEY,        -- assigned by the chain trigger under the lock
    ts             timestamptz NOT NULL DEFAULT clock_timestamp(),
    principal      text        NOT NULL,
    client_address text,
    purpose        text,
    image_sha256   text[]      NOT NULL DEFAULT '{}',
    parameters     jsonb       NOT NULL DEFAULT '{}',
    outcome        text        NOT NULL CHECK (outcome IN ('accepted', 'refused', 'failed')),
    error_code     text,
    prediction_id  bigint,                         -- no FK: predictions may be purged, audit rows stay
    model          text,
    prev_hash      bytea       NOT NULL,
    row_hash       bytea       NOT NULL
);
ALTER SEQUENCE geopigeon.audit_log_id_seq OWNED BY geopigeon.audit_log.id;
CREATE INDEX IF NOT EXISTS audit_log_ts ON geopigeon.audit_log (ts);

-- Canonical text of a row: a JSON array in column order. jsonb output is deterministic and the
-- timestamp is rendered in UTC, so the text does not depend on session settings.
CREATE OR REPLACE FUNCTION geopigeon.audit_canonical(r geopigeon.audit_log) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$
SELECT jsonb_build_array(
               r.id,
               to_char(r.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               r.principal, r.client_address, r.purpose, to_jsonb(r.image_sha256), r.parameters,
               r.outcome, r.error_code, r.prediction_id, r.model)::text
$$;

CREATE OR REPLACE FUNCTION geopigeon.audit_row_hash(prev bytea, r geopigeon.audit_log) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS
$$
SELECT sha256(prev || convert_to(geopigeon.audit_canonical(r), 'UTF8'))
$$;

CREATE OR REPLACE FUNCTION geopigeon.audit_genesis_hash() RETURNS bytea
    LANGUAGE sql IMMUTABLE AS
$$
SELECT decode(repeat('00', 32), 'hex')
$$;

CREATE OR REPLACE FUNCTION geopigeon.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    prev bytea;
BEGIN
    -- Under REPEATABLE READ/SERIALIZABLE the snapshot would hide rows committed while we waited
    -- for the lock and the chain would fork.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'geopigeon.audit_log: inserts need READ COMMITTED isolation, not %',
            current_setting('transaction_isolation');
    END IF;
    -- Held until commit: the next insert waits and then sees this row as its predecessor.
    PERFORM pg_advisory_xact_lock(4711000001);
    SELECT a.row_hash INTO prev FROM geopigeon.audit_log a ORDER BY a.id DESC LIMIT 1;
    -- id and ts are assigned under the lock, so id order = chain order = time order.
    NEW.id := nextval('geopigeon.audit_log_id_seq');
    NEW.ts := clock_timestamp();
    NEW.prev_hash := coalesce(prev, geopigeon.audit_genesis_hash());
    NEW.row_hash := geopigeon.audit_row_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION geopigeon.audit_log_reject() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'geopigeon.audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE TRIGGER audit_log_chain
    BEFORE INSERT ON geopigeon.audit_log
    FOR EACH ROW EXECUTE FUNCTION geopigeon.audit_log_chain();

-- Statement level: also fires for UPDATE/DELETE that match no row, and for TRUNCATE.
CREATE OR REPLACE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON geopigeon.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION geopigeon.audit_log_reject();

-- Walks the chain in id order. Returns the first broken row and why, or NULLs when intact;
-- rows_checked counts the rows read (all of them when intact).
CREATE OR REPLACE FUNCTION geopigeon.verify_audit_chain(OUT broken_id bigint, OUT reason text,
                                                        OUT rows_checked bigint)
    LANGUAGE plpgsql STABLE AS
$$
DECLARE
    r        geopigeon.audit_log;
    expected bytea := geopigeon.audit_genesis_hash();
    prev_id  bigint;
BEGIN
    rows_checked := 0;
    FOR r IN SELECT * FROM geopigeon.audit_log ORDER BY id LOOP
        rows_checked := rows_checked + 1;
        IF r.prev_hash IS DISTINCT FROM expected THEN
            broken_id := r.id;
            reason := CASE WHEN prev_id IS NULL
                THEN 'first row does not start the chain (earlier rows deleted?)'
                ELSE format('prev_hash does not match row_hash of row %s (row deleted, inserted or reordered)', prev_id)
                END;
            RETURN;
        END IF;
        IF r.row_hash IS DISTINCT FROM geopigeon.audit_row_hash(r.prev_hash, r) THEN
            broken_id := r.id;
            reason := 'row_hash does not match the row content (row modified)';
            RETURN;
        END IF;
        expected := r.row_hash;
        prev_id := r.id;
    END LOOP;
END
$$;
