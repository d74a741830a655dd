-- GeoPigeon schema, part 4: views for GeoServer/QGIS. Geometry columns are cast to typed
-- geometry so geometry_columns reports type and SRID; fid is a unique key for feature ids.
-- Dropped first so that re-running this script by hand always works (CREATE OR REPLACE cannot change
-- columns); V5 re-grants.
DROP VIEW IF EXISTS geopigeon.predicted_cells;
DROP VIEW IF EXISTS geopigeon.predicted_points;

CREATE OR REPLACE VIEW geopigeon.predicted_cells AS
SELECT (pc.prediction_id::text || '-' || pc.rank::text)     AS fid,
       pc.prediction_id,
       pc.rank,
       pc.probability,
       p.confidence,
       p.created,
       m.name                                               AS model,
       g.cell_id,
       g.name                                               AS cell_name,
       g.admin1,
       g.country,
       g.geom::geometry(MultiPolygon, 4326)                 AS geom
FROM geopigeon.prediction_cells pc
         JOIN geopigeon.predictions p ON p.id = pc.prediction_id
         JOIN geopigeon.models m ON m.id = p.model_id
         JOIN geopigeon.geocells g ON g.set_id = pc.geocell_set_id AND g.class_index = pc.class_index;

-- exif_geom and error_line (estimate -> EXIF position) serve the "EXIF location vs estimate" style;
-- they come after geom so geom stays the default geometry for GeoServer.
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
