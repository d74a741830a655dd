-- GeoPigeon schema, part 5: privileges of the application role.
-- The application may read and write predictions freely but can only INSERT and SELECT audit rows.

GRANT USAGE ON SCHEMA geopigeon TO geopigeon_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON geopigeon.geocell_sets, geopigeon.geocells, geopigeon.models,
    geopigeon.predictions, geopigeon.prediction_cells TO geopigeon_app;
GRANT SELECT ON geopigeon.predicted_cells, geopigeon.predicted_points TO geopigeon_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA geopigeon TO geopigeon_app;

GRANT SELECT, INSERT ON geopigeon.audit_log TO geopigeon_app;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON geopigeon.audit_log FROM geopigeon_app, PUBLIC;
GRANT EXECUTE ON FUNCTION geopigeon.verify_audit_chain() TO geopigeon_app;
