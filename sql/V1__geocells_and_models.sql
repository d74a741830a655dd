-- GeoPigeon schema, part 1: geocell sets and models.
-- Runs under Flyway (Migrations.apply) or by hand:
--   for f in sql/V*.sql; do psql -v ON_ERROR_STOP=1 -f "$f"; done
-- Every statement is idempotent so a database prepared by hand can later be managed by Flyway.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS geopigeon;

-- Application role: NOLOGIN group role; grant it to a login role (see docs/postgis.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geopigeon_app') THEN
        CREATE ROLE geopigeon_app NOLOGIN;
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS geopigeon.geocell_sets (
    id             serial PRIMARY KEY,
    name           text        NOT NULL,
    source         text        NOT NULL,            -- bundle/file the cells were read from
    content_sha256 text        NOT NULL UNIQUE,     -- hash of the cells; registration is idempotent on it
    cell_count     integer     NOT NULL CHECK (cell_count > 0),
    created        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS geopigeon.geocells (
    set_id      integer NOT NULL REFERENCES geopigeon.geocell_sets (id) ON DELETE CASCADE,
    class_index integer NOT NULL CHECK (class_index >= 0),   -- output index of the model head
    cell_id     text    NOT NULL,
    name        text    NOT NULL DEFAULT '',
    admin1      text    NOT NULL DEFAULT '',
    country     text    NOT NULL DEFAULT '',
    point_count integer NOT NULL DEFAULT 0,
    centroid    geometry(Point, 4326)        NOT NULL,         -- mean of training points (PIGEON)
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (set_id, class_index)
);
CREATE INDEX IF NOT EXISTS geocells_geom_gist ON geopigeon.geocells USING gist (geom);

CREATE TABLE IF NOT EXISTS geopigeon.models (
    id             serial PRIMARY KEY,
    name           text        NOT NULL UNIQUE,
    manifest       jsonb       NOT NULL,            -- the bundle's manifest.json
    trained        boolean     NOT NULL,            -- false: demo weights, predictions carry no information
    geocell_set_id integer     NOT NULL REFERENCES geopigeon.geocell_sets (id),
    created        timestamptz NOT NULL DEFAULT now()
);
