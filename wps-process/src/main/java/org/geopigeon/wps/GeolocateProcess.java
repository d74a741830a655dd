package org.geopigeon.wps;

import java.awt.image.RenderedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.SharedServices;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.api.referencing.crs.CoordinateReferenceSystem;
import org.geotools.api.util.ProgressListener;
import org.geotools.data.collection.ListFeatureCollection;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.feature.simple.SimpleFeatureBuilder;
import org.geotools.feature.simple.SimpleFeatureTypeBuilder;
import org.geotools.process.ProcessException;
import org.geotools.process.factory.DescribeParameter;
import org.geotools.process.factory.DescribeProcess;
import org.geotools.process.factory.DescribeResult;
import org.geotools.process.factory.DescribeResults;
import org.geotools.referencing.CRS;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Coordinate;

/**
 * WPS process {@code geopigeon:Geolocate}: where was this photo taken? Every call is recorded in the
 * audit log (principal, purpose, pixel hashes; never the image) and, with {@code store=true}, the
 * prediction is saved to PostGIS for the {@code geopigeon.predicted_cells/points} layers.
 *
 * <p>GeoServer creates a new instance per request; the model and database services are shared
 * ({@link SharedServices}) and configured by system properties / environment ({@link GeoPigeonConfig}).
 */
@DescribeProcess(title = "Geolocate photo",
        description = "Predicts where a photo (or a 4-view panorama) was taken: the most probable geocells and a"
                + " point estimate (PIGEON/PIGEOTTO method). Each request is audited with its purpose. Results are"
                + " probabilistic estimates, not evidence.",
        version = "1.0.0")
public class GeolocateProcess {

    private final GeoPigeonConfig config;

    /** As GeoServer creates it: configuration from system properties and environment. */
    public GeolocateProcess() {
        this(GeoPigeonConfig.fromEnvironment());
    }

    public GeolocateProcess(GeoPigeonConfig config) {
        this.config = config;
    }

    @DescribeResults({
        @DescribeResult(name = "cells", type = SimpleFeatureCollection.class, primary = true,
                description = "Top-K geocells (MultiPolygon, EPSG:4326) with rank, cell_id, name, admin1, country,"
                        + " probability"),
        @DescribeResult(name = "location", type = SimpleFeatureCollection.class,
                description = "One point (EPSG:4326): the refined location estimate with confidence, refined,"
                        + " top-1 cell, model and predictionId"),
        @DescribeResult(name = "predictionId", type = String.class,
                description = "Id of the stored prediction in geopigeon.predictions; empty when store=false")
    })
    public Map<String, Object> execute(
            @DescribeParameter(name = "image", collectionType = RenderedImage.class, min = 1, max = 4,
                    description = "The photo (PNG or JPEG), or exactly 4 views of a panorama 90 degrees apart")
            List<RenderedImage> image,
            @DescribeParameter(name = "purpose", min = 1,
                    description = "Why you need this location (required; recorded in the audit log)")
            String purpose,
            @DescribeParameter(name = "topK", min = 0, defaultValue = "5", minValue = 1, maxValue = 50,
                    description = "Number of geocells to return, 1 to 50")
            Integer topK,
            @DescribeParameter(name = "store", min = 0, defaultValue = "true",
                    description = "Save the prediction in PostGIS (an audit row is written either way)")
            Boolean store,
            ProgressListener monitor) throws ProcessException {
        if (monitor != null) {
            monitor.started();
        }
        AuditedGeolocation service;
        try {
            service = SharedServices.geolocation(config);
        } catch (RuntimeException e) {
            throw new ProcessException("geopigeon:Geolocate is not configured: " + e.getMessage(), e);
        }
        LocateRequest request = new LocateRequest(image, purpose, topK, store == null ? config.storeDefault() : store,
                CallerInfo.current(), null, Map.of("interface", "wps"));
        Located located;
        try {
            located = service.locate(request, new ProgressBridge(monitor));
        } catch (GeolocationException e) {
            throw new ProcessException(e.code() + ": " + e.getMessage(), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        String predictionId = located.predictionId() == null ? "" : located.predictionId().toString();
        out.put("cells", cells(located.prediction()));
        out.put("location", location(located.prediction(), predictionId));
        out.put("predictionId", predictionId);
        if (monitor != null) {
            monitor.complete();
        }
        return out;
    }

    static SimpleFeatureCollection cells(Prediction p) {
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
        SimpleFeatureType type = tb.buildFeatureType();
        SimpleFeatureBuilder fb = new SimpleFeatureBuilder(type);
        List<org.geotools.api.feature.simple.SimpleFeature> features = new ArrayList<>();
        for (CellProbability cp : p.topCells()) {
            Geocell c = cp.cell();
            fb.add(c.geometry());
            fb.add(cp.rank());
            fb.add(c.id());
            fb.add(c.name());
            fb.add(c.admin1());
            fb.add(c.country());
            fb.add(cp.probability());
            features.add(fb.buildFeature("cell." + cp.rank()));
        }
        return new ListFeatureCollection(type, features);
    }

    static SimpleFeatureCollection location(Prediction p, String predictionId) {
        SimpleFeatureTypeBuilder tb = new SimpleFeatureTypeBuilder();
        tb.setName("geolocate_location");
        tb.setCRS(wgs84());
        tb.add("geometry", Point.class);
        tb.add("confidence", Double.class);
        tb.add("refined", Boolean.class);
        tb.add("top1_cell_id", String.class);
        tb.add("top1_name", String.class);
        tb.add("top1_country", String.class);
        tb.add("exif", String.class);
        tb.add("model", String.class);
        tb.add("predictionId", String.class);
        SimpleFeatureType type = tb.buildFeatureType();
        Geocell top = p.topCells().get(0).cell();
        Point point = new GeometryFactory(top.geometry().getPrecisionModel(), 4326)
                .createPoint(new Coordinate(p.location().lon(), p.location().lat()));
        SimpleFeatureBuilder fb = new SimpleFeatureBuilder(type);
        fb.add(point);
        fb.add(p.confidence());
        fb.add(p.refined());
        fb.add(top.id());
        fb.add(top.name());
        fb.add(top.country());
        fb.add("n/a"); // a decoded WPS image has no EXIF
        fb.add(p.model());
        fb.add(predictionId);
        return new ListFeatureCollection(type, List.of(fb.buildFeature("location.1")));
    }

    /** EPSG:4326 with longitude first, matching the x = longitude geometries. */
    static CoordinateReferenceSystem wgs84() {
        try {
            return CRS.decode("EPSG:4326", true);
        } catch (Exception e) {
            return org.geotools.referencing.crs.DefaultGeographicCRS.WGS84;
        }
    }
}
