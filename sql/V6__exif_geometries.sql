-- GeoPigeon schema, part 6: EXIF position and the estimate-to-EXIF error line on predicted_points,
-- for the "EXIF location vs estimate" style. Added after geom so geom stays the default geometry.
CREATE OR REPLACE VIEW geopigeon.predicted_points AS
SELECT p.id::text                                           AS fid,
       p.id                                                 AS prediction_id,
       p.confidence,
       p.refined,
       p.panorama,
       p.top_k,
       p.created,
       m.name                                               AS model,
       g.cell_id                                            AS top1_cell_id,
       g.name                                               AS top1_cell_name,
       g.country                                            AS top1_country,
       CASE WHEN p.exif IS NULL THEN NULL
            ELSE ST_Distance(p.location::geography, p.exif::geography) / 1000.0
           END                                              AS exif_distance_km,
       p.location::geometry(Point, 4326)                    AS geom,
       p.exif::geometry(Point, 4326)                        AS exif_geom,
       CASE WHEN p.exif IS NULL THEN NULL
            ELSE ST_MakeLine(p.location, p.exif)::geometry(LineString, 4326)
           END                                              AS error_line
FROM geopigeon.predictions p
         JOIN geopigeon.models m ON m.id = p.model_id
         JOIN geopigeon.geocells g ON g.set_id = p.geocell_set_id AND g.class_index = p.top1_class_index;
