package org.geopigeon.app.serve;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.service.GeolocationResult;
import org.locationtech.jts.geom.Coordinate;

/**
 * The service's answer model ({@link GeolocationResult}) as a GeoJSON FeatureCollection, written by Jackson:
 * first the point estimate ({@code kind: "estimate"}, the model's estimate properties), then one polygon per
 * ranked cell ({@code kind: "cell"}, rank 1 first). A fresh answer and a stored one read back from PostGIS are
 * the same model, so the viewer draws both with one function. The only mapping here is GeoJSON's envelope.
 */
public final class PredictionGeoJson {

    private PredictionGeoJson() {
    }

    /** RFC 7946 FeatureCollection. */
    @JsonPropertyOrder({"type", "features"})
    public record FeatureCollection(String type, List<Feature> features) {
        FeatureCollection(List<Feature> features) {
            this("FeatureCollection", List.copyOf(features));
        }
    }

    /** RFC 7946 Feature; {@code geometry} is GeoJSON (lon, lat). */
    @JsonPropertyOrder({"type", "id", "geometry", "properties"})
    public record Feature(String type, String id, JsonNode geometry, Object properties) {
        Feature(String id, JsonNode geometry, Object properties) {
            this("Feature", id, geometry, properties);
        }
    }

    /** The estimate's properties: {@code kind} then the model's fields. */
    @JsonPropertyOrder({"kind"})
    record EstimateProperties(String kind, @JsonUnwrapped GeolocationResult.Estimate estimate) {
    }

    /** A ranked cell's properties. */
    @JsonPropertyOrder({"kind"})
    record CellProperties(String kind, @JsonUnwrapped GeolocationResult.Cell cell) {
    }

    /** A stored prediction in a list: the estimate and its top cell's names (the list has no polygons). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"kind"})
    record SummaryProperties(String kind, @JsonUnwrapped GeolocationResult.Estimate estimate, String top1CellId,
                             String top1CellName, String top1Country) {
    }

    /** The whole answer: estimate first, then the cells. */
    public static FeatureCollection of(GeolocationResult r) {
        List<Feature> features = new ArrayList<>();
        features.add(estimate("estimate", r.estimate()));
        for (GeolocationResult.Cell c : r.cells()) {
            features.add(new Feature("cell-" + c.rank(), GeoJsonGeometry.write(c.geometry()),
                    new CellProperties("cell", c)));
        }
        return new FeatureCollection(features);
    }

    /** One stored prediction of a list. */
    static Feature summary(GeolocationResult r) {
        GeolocationResult.Estimate e = r.estimate();
        GeolocationResult.Cell top = r.topCell();
        return new Feature("prediction-" + e.predictionId(), point(e), new SummaryProperties("estimate", e,
                top == null ? null : top.cellId(), top == null ? null : top.name(), top == null ? null : top.country()));
    }

    private static Feature estimate(String id, GeolocationResult.Estimate e) {
        return new Feature(id, point(e), new EstimateProperties("estimate", e));
    }

    private static JsonNode point(GeolocationResult.Estimate e) {
        return GeoJsonGeometry.write(GeoJsonGeometry.WGS84.createPoint(new Coordinate(e.lon(), e.lat())));
    }
}
