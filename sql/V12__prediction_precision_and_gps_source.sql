-- GeoPigeon schema, part 12: what arithmetic produced a stored prediction, and where in the photo file its
-- own position was found. V1-V11 are left as applied.
-- * precision: the arithmetic the backbone's forward pass ran in, as the engine reports it
--   (org.geopigeon.engine.model.Precision: fp32, bf16, fp16 or int8; docs/bundle-format.md "Precision
--   variants"). The same value is in the request's audit parameters. NULL for predictions stored before V12.
-- * gps_source: where the photo's position (column exif) was read: 'exif' for the EXIF GPS block, 'xmp' for
--   the XMP packet, which is read only when the file has no usable EXIF position (docs/image-input.md).
--   NULL when the photo has no position, and for predictions stored before V12 (their source is unknown).

ALTER TABLE geopigeon.predictions ADD COLUMN IF NOT EXISTS precision text;
ALTER TABLE geopigeon.predictions ADD COLUMN IF NOT EXISTS gps_source text;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conname = 'predictions_precision_known' AND conrelid = 'geopigeon.predictions'::regclass) THEN
        ALTER TABLE geopigeon.predictions ADD CONSTRAINT predictions_precision_known
            CHECK (precision IN ('fp32', 'bf16', 'fp16', 'int8'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conname = 'predictions_gps_source_known' AND conrelid = 'geopigeon.predictions'::regclass) THEN
        -- A source only with a position; a position stored before V12 may lack its source.
        ALTER TABLE geopigeon.predictions ADD CONSTRAINT predictions_gps_source_known
            CHECK (gps_source IS NULL OR (gps_source IN ('exif', 'xmp') AND exif IS NOT NULL));
    END IF;
END
$$;

COMMENT ON COLUMN geopigeon.predictions.precision IS
    'Arithmetic of the backbone forward pass: fp32, bf16, fp16 or int8 (NULL: stored before it was recorded)';
COMMENT ON COLUMN geopigeon.predictions.gps_source IS
    'Where the photo''s own position (exif) was read: exif (EXIF GPS block) or xmp (XMP packet, read only when'
    ' there is no EXIF position); NULL without a position or when stored before it was recorded';

-- The predicted_points layer gains both as attributes, after the geometries (CREATE OR REPLACE VIEW may only
-- append columns; the others and their types are exactly V6's, so layers published from it keep working and
-- V5's grant stays). gps_source belongs to the layer's "EXIF location vs estimate" purpose: it says where
-- exif_geom came from; precision lets a map filter or style by the arithmetic that produced the estimate.
CREATE OR REPLACE VIEW geopigeon.predicted_points AS
SELECT p.id::text                                                              AS fid,
       p.id                                                                    AS prediction_id,
       p.confidence,
       p.refined,
       p.panorama,
       p.top_k,
       p.created,
       m.name                                                                  AS model,
       g.cell_id                                                               AS top1_cell_id,
       g.name                                                                  AS top1_cell_name,
       g.country                                                               AS top1_country,
       geopigeon.sphere_distance_km(p.location, p.exif)                        AS exif_distance_km,
       p.location::geometry(Point, 4326)                                       AS geom,
       p.exif::geometry(Point, 4326)                                           AS exif_geom,
       geopigeon.error_line(p.location, p.exif)::geometry(MultiLineString, 4326) AS error_line,
       p.precision,
       p.gps_source
FROM geopigeon.predictions p
         JOIN geopigeon.models m ON m.id = p.model_id
         JOIN geopigeon.geocells g ON g.set_id = p.geocell_set_id AND g.class_index = p.top1_class_index;
