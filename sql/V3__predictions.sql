-- GeoPigeon schema, part 3: stored predictions and their ranked cells.

CREATE TABLE IF NOT EXISTS geopigeon.predictions (
    id               bigserial PRIMARY KEY,
    created          timestamptz NOT NULL DEFAULT now(),
    model_id         integer     NOT NULL REFERENCES geopigeon.models (id),
    geocell_set_id   integer     NOT NULL REFERENCES geopigeon.geocell_sets (id),
    location         geometry(Point, 4326) NOT NULL,   -- refined point, else the top-1 cell centroid
    confidence       double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    refined          boolean     NOT NULL,
    top1_class_index integer     NOT NULL,
    -- SHA-256 of the decoded RGB pixels of each view (1, or 4 for a panorama); never the image itself
    image_sha256     text[]      NOT NULL CHECK (cardinality(image_sha256) IN (1, 4)),
    exif             geometry(Point, 4326),             -- GPS from EXIF when the caller had the file
    panorama         boolean     NOT NULL,
    top_k            integer     NOT NULL CHECK (top_k BETWEEN 1 AND 50),
    timings          jsonb       NOT NULL,
    audit_id         bigint REFERENCES geopigeon.audit_log (id),
    FOREIGN KEY (geocell_set_id, top1_class_index) REFERENCES geopigeon.geocells (set_id, class_index)
);
CREATE INDEX IF NOT EXISTS predictions_location_gist ON geopigeon.predictions USING gist (location);
CREATE INDEX IF NOT EXISTS predictions_created ON geopigeon.predictions (created);

CREATE TABLE IF NOT EXISTS geopigeon.prediction_cells (
    prediction_id  bigint  NOT NULL REFERENCES geopigeon.predictions (id) ON DELETE CASCADE,
    rank           integer NOT NULL CHECK (rank >= 1),
    geocell_set_id integer NOT NULL,
    class_index    integer NOT NULL,
    probability    double precision NOT NULL CHECK (probability >= 0 AND probability <= 1),
    PRIMARY KEY (prediction_id, rank),
    FOREIGN KEY (geocell_set_id, class_index) REFERENCES geopigeon.geocells (set_id, class_index)
);
