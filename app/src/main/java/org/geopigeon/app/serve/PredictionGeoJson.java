package org.geopigeon.app.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;
import org.geopigeon.service.Located;

/**
 * The service's answer as a GeoJSON FeatureCollection: first the point estimate ({@code kind: "estimate"}),
 * then one polygon per ranked cell ({@code kind: "cell"}, rank 1 first). A fresh prediction and a stored
 * one read back from PostGIS have the same shape, so the viewer draws both with one function.
 */
public final class PredictionGeoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PredictionGeoJson() {
    }

    /**
     * The point-estimate part of a prediction.
     *
     * @param location       the estimate
     * @param confidence     0..1 (1 - normalised entropy)
     * @param refined        whether retrieval refinement chose the point
     * @param model          model name
     * @param trained        false for demo weights (answers carry no information)
     * @param predictionId   stored prediction id, or null when not stored
     * @param exifGps        the photo's EXIF GPS position, or null
     * @param exifDistanceKm distance estimate to EXIF position, or null
     * @param topK           cells asked for
     * @param panorama       four views
     * @param created        ISO time it was stored, or null
     */
    record Estimate(LatLon location, double confidence, boolean refined, String model, boolean trained,
                    Long predictionId, LatLon exifGps, Double exifDistanceKm, int topK, boolean panorama,
                    String created) {
    }

    /** One ranked cell; {@code geometry} is a GeoJSON (Multi)Polygon. */
    record Cell(int rank, String cellId, String name, String admin1, String country, double probability,
                JsonNode geometry) {
    }

    static ObjectNode collection(Estimate estimate, List<Cell> cells) {
        ObjectNode fc = NODES.objectNode();
        fc.put("type", "FeatureCollection");
        ArrayNode features = fc.putArray("features");
        features.add(estimateFeature(estimate));
        for (Cell c : cells) {
            features.add(cellFeature(c));
        }
        return fc;
    }

    /** A fresh prediction, with its audit id, pixel hashes and stage timings added to the estimate. */
    public static ObjectNode of(Located located, boolean trained) {
        Prediction p = located.prediction();
        Double exifKm = p.exifGps() == null ? null : round(Haversine.km(p.location(), p.exifGps()), 3);
        Estimate e = new Estimate(p.location(), p.confidence(), p.refined(), p.model(), trained, located.predictionId(),
                p.exifGps(), exifKm, located.topK(), located.imageSha256().size() == 4, null);
        List<Cell> cells = p.topCells().stream().map(PredictionGeoJson::cell).toList();
        ObjectNode fc = collection(e, cells);
        ObjectNode props = (ObjectNode) fc.get("features").get(0).get("properties");
        props.put("audit_id", located.auditId());
        ArrayNode hashes = props.putArray("image_sha256");
        located.imageSha256().forEach(hashes::add);
        props.set("top_cell_centroid", latLon(p.topCellCentroid()));
        props.set("timings_ms", timings(p.timings()));
        return fc;
    }

    private static Cell cell(CellProbability c) {
        return new Cell(c.rank(), c.cell().id(), c.cell().name(), c.cell().admin1(), c.cell().country(),
                c.probability(), GeoJsonGeometry.write(c.cell().geometry()));
    }

    static ObjectNode estimateFeature(Estimate e) {
        ObjectNode f = NODES.objectNode();
        f.put("type", "Feature");
        f.put("id", "estimate");
        f.set("geometry", point(e.location()));
        ObjectNode p = f.putObject("properties");
        p.put("kind", "estimate");
        if (e.predictionId() == null) {
            p.putNull("prediction_id");
        } else {
            p.put("prediction_id", e.predictionId());
        }
        p.put("lat", round(e.location().lat(), 7));
        p.put("lon", round(e.location().lon(), 7));
        p.put("confidence", e.confidence());
        p.put("refined", e.refined());
        p.put("model", e.model());
        p.put("trained", e.trained());
        p.put("top_k", e.topK());
        p.put("panorama", e.panorama());
        p.set("exif_gps", e.exifGps() == null ? NODES.nullNode() : latLon(e.exifGps()));
        if (e.exifDistanceKm() == null) {
            p.putNull("exif_distance_km");
        } else {
            p.put("exif_distance_km", e.exifDistanceKm());
        }
        if (e.created() != null) {
            p.put("created", e.created());
        }
        return f;
    }

    static ObjectNode cellFeature(Cell c) {
        ObjectNode f = NODES.objectNode();
        f.put("type", "Feature");
        f.put("id", "cell-" + c.rank());
        f.set("geometry", c.geometry());
        ObjectNode p = f.putObject("properties");
        p.put("kind", "cell");
        p.put("rank", c.rank());
        p.put("cell_id", c.cellId());
        p.put("name", c.name());
        p.put("admin1", c.admin1());
        p.put("country", c.country());
        p.put("probability", c.probability());
        return f;
    }

    static ObjectNode point(LatLon p) {
        ObjectNode g = NODES.objectNode();
        g.put("type", "Point");
        g.putArray("coordinates").add(round(p.lon(), 7)).add(round(p.lat(), 7));
        return g;
    }

    private static ObjectNode latLon(LatLon p) {
        ObjectNode n = NODES.objectNode();
        n.put("lat", round(p.lat(), 7));
        n.put("lon", round(p.lon(), 7));
        return n;
    }

    private static ObjectNode timings(StageTimings t) {
        ObjectNode ms = NODES.objectNode();
        if (t != null) {
            ms.put("decode", round(t.decodeMs(), 3));
            ms.put("preprocess", round(t.preprocessMs(), 3));
            ms.put("backbone", round(t.backboneMs(), 3));
            ms.put("head", round(t.headMs(), 3));
            ms.put("refine", round(t.refineMs(), 3));
            ms.put("total", round(t.totalMs(), 3));
        }
        return ms;
    }

    /** 7 decimals of a degree = 1 cm; also hides float noise from EXIF rationals. */
    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
