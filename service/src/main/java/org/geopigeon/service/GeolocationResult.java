package org.geopigeon.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Objects;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.predict.CellProbability;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageTimings;
import org.locationtech.jts.geom.Geometry;

/**
 * The one answer model of every front end: the CLI writes it as JSON Lines, the HTTP service as GeoJSON,
 * the WPS process as GeoTools features, and a prediction read back from PostGIS is the same model. Front
 * ends serialise these records with Jackson (property names are snake_case: {@code exif_distance_km}) and
 * add nothing of their own but their envelope.
 *
 * <p>Numbers are rounded once, here, so every front end reports the same digits: degrees to 7 decimals
 * (1 cm, and it hides float noise from EXIF rationals), kilometres and milliseconds to 3.
 *
 * @param estimate the point estimate and everything said about the request as a whole
 * @param cells    the ranked geocells, rank 1 first; empty in summaries (lists of stored predictions)
 */
@JsonPropertyOrder({"estimate", "cells"})
public record GeolocationResult(Estimate estimate, List<Cell> cells) {

    public GeolocationResult {
        Objects.requireNonNull(estimate, "estimate");
        cells = List.copyOf(cells);
    }

    /**
     * The point estimate.
     *
     * @param lat             estimate latitude, degrees (WGS 84)
     * @param lon             estimate longitude, degrees
     * @param confidence      1 - H(p)/ln(C) over all cells: 1 = all mass on one cell, 0 = uniform
     * @param refined         whether retrieval refinement chose the point (else the top cell's centroid)
     * @param model           model (bundle) name
     * @param trained         false for the demo bundle's random weights: the answer then carries no information
     * @param precision       arithmetic the backbone ran in: {@code fp32}, {@code bf16}, {@code fp16} or {@code int8}
     *                        ({@link org.geopigeon.engine.model.Precision#id()}); null when not known (predictions
     *                        stored before it was recorded)
     * @param predictionId    id in {@code geopigeon.predictions}, or null when not stored
     * @param auditId         id of the request's row in {@code geopigeon.audit_log}, or null (CLI without audit)
     * @param topK            cells asked for
     * @param panorama        four views of a panorama rather than one photo
     * @param imageSha256     SHA-256 of each view's decoded pixels ({@link org.geopigeon.engine.image.PixelHash}); empty
     *                        when not known
     * @param topCellCentroid centroid of the rank-1 cell, or null when not known (stored summaries)
     * @param exifGps         the photo's own GPS position (EXIF, or XMP where the decoder reads it); for a panorama
     *                        the first view that has one; null when absent
     * @param gpsSource       where in the file {@code exifGps} was read: {@code exif} (the EXIF GPS block) or
     *                        {@code xmp} (the XMP packet, read only when there is no EXIF position; docs/image-input.md);
     *                        null without a position or when not known
     * @param exifDistanceKm  great-circle distance from the estimate to {@code exifGps} on the sphere of radius
     *                        6371.0088 km ({@link Haversine}), the definition README states; null without GPS
     * @param timingsMs       wall time per stage in milliseconds, decode included; null when not known
     * @param created         ISO-8601 time the prediction was stored, or null for a fresh answer
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"lat", "lon", "confidence", "refined", "model", "trained", "precision", "prediction_id",
        "audit_id", "top_k", "panorama", "image_sha256", "top_cell_centroid", "exif_gps", "gps_source",
        "exif_distance_km", "timings_ms", "created"})
    public record Estimate(double lat, double lon, double confidence, boolean refined, String model, boolean trained,
                           String precision, Long predictionId, Long auditId, int topK, boolean panorama,
                           List<String> imageSha256, Position topCellCentroid, Position exifGps, String gpsSource,
                           Double exifDistanceKm, Timings timingsMs, String created) {

        public Estimate {
            imageSha256 = imageSha256 == null ? List.of() : List.copyOf(imageSha256);
            gpsSource = exifGps == null ? null : gpsSource;
        }

        /** The form before precision and GPS source were part of the answer: both unknown (null). */
        public Estimate(double lat, double lon, double confidence, boolean refined, String model, boolean trained,
                        Long predictionId, Long auditId, int topK, boolean panorama, List<String> imageSha256,
                        Position topCellCentroid, Position exifGps, Double exifDistanceKm, Timings timingsMs,
                        String created) {
            this(lat, lon, confidence, refined, model, trained, null, predictionId, auditId, topK, panorama,
                    imageSha256, topCellCentroid, exifGps, null, exifDistanceKm, timingsMs, created);
        }

        /** The estimate as a position. */
        public LatLon location() {
            return new LatLon(lat, lon);
        }
    }

    /**
     * One ranked geocell.
     *
     * @param rank        1 = most probable
     * @param cellId      the cell's id in its geocell set
     * @param name        human-readable name
     * @param admin1      first-level administrative unit
     * @param country     ISO country code or name, as the geocell file gives it
     * @param probability the head's softmax probability, 0..1
     * @param geometry    the cell polygon (EPSG:4326, x = longitude); front ends write it in their own encoding
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"rank", "cell_id", "name", "admin1", "country", "probability"})
    public record Cell(int rank, String cellId, String name, String admin1, String country, double probability,
                       @JsonIgnore Geometry geometry) {
    }

    /** A position in decimal degrees. */
    public record Position(double lat, double lon) {

        static Position of(LatLon p) {
            return p == null ? null : new Position(degrees(p.lat()), degrees(p.lon()));
        }
    }

    /** Wall time per pipeline stage, milliseconds. */
    @JsonPropertyOrder({"decode", "preprocess", "backbone", "head", "refine", "total"})
    public record Timings(double decode, double preprocess, double backbone, double head, double refine,
                          double total) {

        static Timings of(StageTimings t) {
            return t == null ? null : new Timings(millis(t.decodeMs()), millis(t.preprocessMs()),
                    millis(t.backboneMs()), millis(t.headMs()), millis(t.refineMs()), millis(t.totalMs()));
        }
    }

    /**
     * What a request produced.
     *
     * @param p            the engine's prediction (its EXIF position and decode time already set)
     * @param trained      whether the model was trained
     * @param predictionId stored prediction id, or null
     * @param auditId      audit row id, or null when the request was not audited (plain CLI)
     * @param topK         cells asked for
     * @param views        images in the request (4 = panorama)
     * @param imageSha256  pixel hash of each view, or empty when not computed
     */
    public static GeolocationResult of(Prediction p, boolean trained, Long predictionId, Long auditId, int topK,
                                       int views, List<String> imageSha256) {
        Double exifKm = p.exifGps() == null ? null : kilometres(Haversine.km(p.location(), p.exifGps()));
        Estimate e = new Estimate(degrees(p.location().lat()), degrees(p.location().lon()), p.confidence(),
                p.refined(), p.model(), trained, p.precision() == null ? null : p.precision().id(), predictionId,
                auditId, topK, views == Geolocator.PANORAMA_VIEWS, imageSha256, Position.of(p.topCellCentroid()), Position.of(p.exifGps()),
                p.gpsSource() == null ? null : p.gpsSource().id(), exifKm, Timings.of(p.timings()), null);
        return new GeolocationResult(e, p.topCells().stream().map(GeolocationResult::cell).toList());
    }

    /** The same answer with the time its prediction was stored ({@code Estimate.created}, ISO-8601), or null. */
    public GeolocationResult withCreated(String created) {
        Estimate e = estimate;
        return new GeolocationResult(new Estimate(e.lat(), e.lon(), e.confidence(), e.refined(), e.model(), e.trained(),
                e.precision(), e.predictionId(), e.auditId(), e.topK(), e.panorama(), e.imageSha256(),
                e.topCellCentroid(), e.exifGps(), e.gpsSource(), e.exifDistanceKm(), e.timingsMs(), created), cells);
    }

    private static Cell cell(CellProbability cp) {
        Geocell c = cp.cell();
        return new Cell(cp.rank(), c.id(), c.name(), c.admin1(), c.country(), cp.probability(), c.geometry());
    }

    /** The rank-1 cell, or null in a summary without cells. */
    @JsonIgnore
    public Cell topCell() {
        return cells.isEmpty() ? null : cells.get(0);
    }

    /** 7 decimals of a degree = 1 cm. */
    public static double degrees(double d) {
        return Math.round(d * 1e7) / 1e7;
    }

    /** 3 decimals of a kilometre = 1 m. */
    public static double kilometres(double km) {
        return Math.round(km * 1e3) / 1e3;
    }

    /** Microseconds are plenty for wall times. */
    static double millis(double ms) {
        return Math.round(ms * 1e3) / 1e3;
    }
}
