-- GeoPigeon schema, part 6: the predicted_points layer view, corrected (V4 is left as applied; V6 replaces
-- the view, so a database migrated before keeps validating under Flyway).
-- * Every geometry column is typed, so geometry_columns reports its type and SRID 4326: V4's CASE around
--   error_line dropped the typmod (geometry_columns said GEOMETRY, SRID 0) and GeoServer/QGIS had to guess.
-- * exif_distance_km is measured on the one sphere every GeoPigeon distance uses: great circle (haversine) on
--   a sphere of radius 6371.0088 km, the IUGG mean radius (README "Distances";
--   org.geopigeon.engine.geo.Haversine). V4 used the WGS84 spheroid (geography), about 20 km off the API's
--   answer for the same prediction.
-- * error_line runs the short way round: an estimate and an EXIF position on either side of the antimeridian
--   are joined across it, split at +-180 (a MultiLineString of two parts), not by a line 190+ degrees long.

-- Great-circle distance in km between two lon/lat points on the sphere of radius 6371.0088 km.
-- ST_DistanceSphere with an explicit radius (its default for SRID 4326 is the WGS84 mean radius
-- (2a + b) / 3 = 6371008.7714 m, 0.03 m shorter, 0.1 m at most over a half circumference).
CREATE OR REPLACE FUNCTION geopigeon.sphere_distance_km(a geometry, b geometry) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$
SELECT ST_DistanceSphere(a, b, 6371008.8) / 1000.0
$$;

-- The line from a (the estimate) to b (the EXIF position), straight in longitude/latitude as a map in
-- EPSG:4326 draws it, and the short way round: when a and b are more than 180 degrees of longitude apart,
-- the line crosses the antimeridian and is split there into two parts that meet at the same latitude on
-- +180 and -180. Always a MultiLineString (1 or 2 parts), so the view column has one type. NULL when
-- either point is NULL.
CREATE OR REPLACE FUNCTION geopigeon.error_line(a geometry, b geometry) RETURNS geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS
$$
DECLARE
    xa    double precision := ST_X(a);
    ya    double precision := ST_Y(a);
    xb    double precision := ST_X(b);
    yb    double precision := ST_Y(b);
    side  double precision; -- +1: a is east of Greenwich, the short way runs east across +180; -1: west across -180
    ycut  double precision; -- latitude where the line meets the antimeridian
    parts geometry[] := '{}';
BEGIN
    IF abs(xb - xa) <= 180 THEN
        RETURN ST_Multi(ST_MakeLine(a, b));
    END IF;
    side := sign(xa);
    -- b shifted by 360 degrees onto a's side, then linear interpolation to longitude 180 * side
    ycut := ya + (180 * side - xa) / (xb + 360 * side - xa) * (yb - ya);
    IF xa <> 180 * side THEN
        parts := parts || ST_MakeLine(a, ST_SetSRID(ST_MakePoint(180 * side, ycut), ST_SRID(a)));
    END IF;
    IF xb <> -180 * side THEN
        parts := parts || ST_MakeLine(ST_SetSRID(ST_MakePoint(-180 * side, ycut), ST_SRID(b)), b);
    END IF;
    IF cardinality(parts) = 0 THEN -- a on +180 and b on -180 at the same latitude: one place
        RETURN ST_Multi(ST_MakeLine(a, a));
    END IF;
    RETURN ST_Multi(ST_Collect(parts));
END
$$;

DROP VIEW IF EXISTS geopigeon.predicted_points;

-- exif_geom and error_line serve the "EXIF location vs estimate" style; they come after geom so geom stays
-- the default geometry for GeoServer. The casts outside the function calls keep each column's typmod.
CREATE VIEW geopigeon.predicted_points AS
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
       geopigeon.error_line(p.location, p.exif)::geometry(MultiLineString, 4326) AS error_line
FROM geopigeon.predictions p
         JOIN geopigeon.models m ON m.id = p.model_id
         JOIN geopigeon.geocells g ON g.set_id = p.geocell_set_id AND g.class_index = p.top1_class_index;

GRANT SELECT ON geopigeon.predicted_points TO geopigeon_app;
