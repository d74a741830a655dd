package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.geopigeon.app.serve.PredictionGeoJson;

/**
 * The two outputs of the geolocate process, cut from the service's one GeoJSON answer
 * ({@link PredictionGeoJson}: the estimate, then the ranked cells):
 * <ul>
 *   <li>{@code location}: a GeoJSON Feature, the point estimate with confidence, model, EXIF position and
 *       distance, audit and prediction ids, pixel hashes and stage timings;</li>
 *   <li>{@code cells}: a GeoJSON FeatureCollection of the ranked cells, rank 1 first.</li>
 * </ul>
 *
 * @param location the estimate feature
 * @param cells    the cells collection
 */
public record GeolocateOutputs(ObjectNode location, ObjectNode cells) {

    public static final String LOCATION = "location";
    public static final String CELLS = "cells";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The two outputs of a finished geolocation as GeoJSON: the point estimate and the ranked geocell polygons
     * ({@link #split}).
     */
    public static GeolocateOutputs of(GeolocationOutcome outcome) {
        return split(MAPPER.valueToTree(PredictionGeoJson.of(outcome.located().result())));
    }

    /** Splits a combined collection (estimate first, then cells) into the two outputs. */
    public static GeolocateOutputs split(ObjectNode combined) {
        JsonNode features = combined.get("features");
        ObjectNode cells = JsonNodeFactory.instance.objectNode();
        cells.put("type", "FeatureCollection");
        ArrayNode list = cells.putArray("features");
        for (int i = 1; i < features.size(); i++) {
            list.add(features.get(i));
        }
        return new GeolocateOutputs((ObjectNode) features.get(0), cells);
    }

    /** The combined collection the old /api/v1/locate answered with. */
    public ObjectNode combined() {
        ObjectNode fc = JsonNodeFactory.instance.objectNode();
        fc.put("type", "FeatureCollection");
        ArrayNode list = fc.putArray("features");
        list.add(location);
        cells.get("features").forEach(list::add);
        return fc;
    }
}
