package org.geopigeon.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;

/**
 * One prediction as a single-line JSON object (JSON Lines): {@code file, lat, lon, refined, confidence,
 * top_cells, top_cell_centroid, exif_gps, timings_ms, model}. {@code file} is a string for one image
 * and an array of the four view files for a panorama.
 */
final class PredictionJson {

    private final ObjectMapper mapper = new ObjectMapper();

    ObjectNode toNode(List<String> files, boolean panorama, Prediction p) {
        ObjectNode o = mapper.createObjectNode();
        if (panorama) {
            ArrayNode a = o.putArray("file");
            files.forEach(a::add);
        } else {
            o.put("file", files.get(0));
        }
        o.put("lat", degrees(p.location().lat()));
        o.put("lon", degrees(p.location().lon()));
        o.put("refined", p.refined());
        o.put("confidence", p.confidence());
        ArrayNode cells = o.putArray("top_cells");
        for (CellProbability c : p.topCells()) {
            ObjectNode n = cells.addObject();
            n.put("rank", c.rank());
            n.put("cell_id", c.cell().id());
            n.put("name", c.cell().name());
            n.put("admin1", c.cell().admin1());
            n.put("country", c.cell().country());
            n.put("probability", c.probability());
        }
        o.set("top_cell_centroid", point(p.topCellCentroid()));
        o.set("exif_gps", p.exifGps() == null ? mapper.nullNode() : point(p.exifGps()));
        StageTimings t = p.timings();
        ObjectNode ms = o.putObject("timings_ms");
        ms.put("decode", millis(t.decodeMs()));
        ms.put("preprocess", millis(t.preprocessMs()));
        ms.put("backbone", millis(t.backboneMs()));
        ms.put("head", millis(t.headMs()));
        ms.put("refine", millis(t.refineMs()));
        ms.put("total", millis(t.totalMs()));
        o.put("model", p.model());
        return o;
    }

    String toLine(List<String> files, boolean panorama, Prediction p) {
        try {
            return mapper.writeValueAsString(toNode(files, panorama, p));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain values always serialises
        }
    }

    private ObjectNode point(LatLon p) {
        ObjectNode n = mapper.createObjectNode();
        n.put("lat", degrees(p.lat()));
        n.put("lon", degrees(p.lon()));
        return n;
    }

    /** 7 decimals = 1 cm; also hides float noise from EXIF rationals (2.3211999999999997). */
    private static double degrees(double d) {
        return Math.round(d * 1e7) / 1e7;
    }

    /** Microsecond resolution is plenty for wall times. */
    private static double millis(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
