package org.geopigeon.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import org.geopigeon.service.GeolocationResult;

/**
 * One answer as a single-line JSON object (JSON Lines), written by Jackson from the service's answer model:
 * {@code file} (a string for one image, an array of the four view files for a panorama), then the model's
 * estimate fields ({@code lat, lon, confidence, refined, model, trained, precision, prediction_id, audit_id, top_k,
 * panorama, image_sha256, top_cell_centroid, exif_gps, gps_source, exif_distance_km, timings_ms, created}), then
 * {@code top_cells}. {@code image_sha256} holds the pixel hash of each view (the audit log's and {@code inspect}'s
 * value) on every path; the ids are null unless the request went through the audited service
 * ({@code --store}/{@code --purpose}). {@code file} stays a string for single images (the common case, easy to read
 * with {@code jq -r .file}) and is an array only with {@code --panorama}, where {@code panorama} is true.
 */
final class PredictionJson {

    private final ObjectMapper mapper = new ObjectMapper();

    /** The line's shape: the CLI adds the file names to the model, nothing else. */
    @JsonPropertyOrder({"file"})
    record Line(Object file, @JsonUnwrapped GeolocationResult.Estimate estimate,
                @JsonProperty("top_cells") List<GeolocationResult.Cell> topCells) {
    }

    String toLine(List<String> files, boolean panorama, GeolocationResult r) {
        Object file = panorama ? files : files.get(0);
        try {
            return mapper.writeValueAsString(new Line(file, r.estimate(), r.cells()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // records of plain values always serialise
        }
    }
}
