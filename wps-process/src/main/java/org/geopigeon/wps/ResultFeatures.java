package org.geopigeon.wps;

import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.service.GeolocationResult;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.referencing.FactoryException;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.data.collection.ListFeatureCollection;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.feature.simple.SimpleFeatureBuilder;
import org.geotools.feature.simple.SimpleFeatureTypeBuilder;
import org.geotools.referencing.CRS;
import org.geotools.referencing.crs.DefaultGeographicCRS;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;

/**
 * The service's answer model ({@link GeolocationResult}) as GeoTools features, the WPS process's only
 * mapping: GeoServer encodes them as GeoJSON, GML, KML, CSV or shape-zip. Attribute names are the model's
 * JSON names, so a WPS feature and the HTTP service's GeoJSON say the same thing the same way.
 */
final class ResultFeatures {

    private static final SimpleFeatureType CELLS = cellType();
    private static final SimpleFeatureType LOCATION = locationType();

    private ResultFeatures() {
    }

    /** The ranked cells: MultiPolygon (EPSG:4326, x = longitude), rank 1 first. */
    static SimpleFeatureCollection cells(GeolocationResult r) {
        SimpleFeatureBuilder fb = new SimpleFeatureBuilder(CELLS);
        List<SimpleFeature> features = new ArrayList<>();
        for (GeolocationResult.Cell c : r.cells()) {
            fb.add(GeoJsonGeometry.toMultiPolygon(c.geometry()));
            fb.add(c.rank());
            fb.add(c.cellId());
            fb.add(c.name());
            fb.add(c.admin1());
            fb.add(c.country());
            fb.add(c.probability());
            features.add(fb.buildFeature("cell." + c.rank()));
        }
        return new ListFeatureCollection(CELLS, features);
    }

    /**
     * One point: the estimate, the photo's GPS position with its source in the file ({@code gps_source}: exif or
     * xmp) and its distance, the model and the precision its backbone ran in, the request's ids and hashes.
     */
    static SimpleFeatureCollection location(GeolocationResult r) {
        GeolocationResult.Estimate e = r.estimate();
        GeolocationResult.Cell top = r.topCell();
        Point point = GeoJsonGeometry.WGS84.createPoint(new Coordinate(e.lon(), e.lat()));
        SimpleFeatureBuilder fb = new SimpleFeatureBuilder(LOCATION);
        fb.add(point);
        fb.add(e.confidence());
        fb.add(e.refined());
        fb.add(top == null ? null : top.cellId());
        fb.add(top == null ? null : top.name());
        fb.add(top == null ? null : top.country());
        fb.add(e.exifGps() == null ? null : e.exifGps().lat());
        fb.add(e.exifGps() == null ? null : e.exifGps().lon());
        fb.add(e.gpsSource());
        fb.add(e.exifDistanceKm());
        fb.add(e.model());
        fb.add(e.trained());
        fb.add(e.precision());
        fb.add(e.predictionId() == null ? "" : e.predictionId().toString());
        fb.add(e.auditId());
        fb.add(String.join(",", e.imageSha256()));
        return new ListFeatureCollection(LOCATION, List.of(fb.buildFeature("location.1")));
    }

    private static SimpleFeatureType cellType() {
        SimpleFeatureTypeBuilder tb = new SimpleFeatureTypeBuilder();
        tb.setName("geolocate_cells");
        tb.setCRS(wgs84());
        tb.add("geometry", MultiPolygon.class);
        tb.add("rank", Integer.class);
        tb.add("cell_id", String.class);
        tb.add("name", String.class);
        tb.add("admin1", String.class);
        tb.add("country", String.class);
        tb.add("probability", Double.class);
        return tb.buildFeatureType();
    }

    private static SimpleFeatureType locationType() {
        SimpleFeatureTypeBuilder tb = new SimpleFeatureTypeBuilder();
        tb.setName("geolocate_location");
        tb.setCRS(wgs84());
        tb.add("geometry", Point.class);
        tb.add("confidence", Double.class);
        tb.add("refined", Boolean.class);
        tb.add("top1_cell_id", String.class);
        tb.add("top1_name", String.class);
        tb.add("top1_country", String.class);
        tb.nillable(true).add("exif_lat", Double.class);
        tb.nillable(true).add("exif_lon", Double.class);
        tb.nillable(true).add("gps_source", String.class);
        tb.nillable(true).add("exif_distance_km", Double.class);
        tb.add("model", String.class);
        tb.add("trained", Boolean.class);
        tb.nillable(true).add("precision", String.class);
        tb.add("predictionId", String.class);
        tb.add("audit_id", Long.class);
        tb.add("image_sha256", String.class);
        return tb.buildFeatureType();
    }

    /** EPSG:4326 with longitude first, matching the x = longitude geometries. */
    static CoordinateReferenceSystem wgs84() {
        try {
            return CRS.decode("EPSG:4326", true);
        } catch (FactoryException e) {
            return DefaultGeographicCRS.WGS84;
        }
    }
}
