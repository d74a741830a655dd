package org.geopigeon.wps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.ImageUpload;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.SharedServices;
import org.geoserver.wps.process.RawData;
import org.geotools.api.util.ProgressListener;
import org.geotools.data.simple.SimpleFeatureCollection;
import org.geotools.process.ProcessException;
import org.geotools.process.factory.DescribeParameter;
import org.geotools.process.factory.DescribeProcess;
import org.geotools.process.factory.DescribeResult;
import org.geotools.process.factory.DescribeResults;

/**
 * WPS process {@code geopigeon:Geolocate}: where was this photo taken? A thin adapter: GeoServer's raw
 * inputs become {@link ImageUpload}s, {@link AuditedGeolocation} does everything (limits before decoding,
 * decoding with EXIF orientation and GPS, audit row, storage), and its answer becomes features
 * ({@link ResultFeatures}).
 *
 * <p>The image arrives as GeoServer raw data ({@code org.geoserver.wps.process.RawData}): the bytes the
 * client sent (inline base64 is decoded by GeoServer) and the declared mime type. GeoServer's own image
 * input (RenderedImage) cannot be used: it decodes JPEG with a codec that needs classes removed from the
 * JDK after Java 6, and it drops EXIF orientation and GPS.
 *
 * <p>GeoServer creates a new instance per request; the model and database services are shared
 * ({@link SharedServices}) and configured by system properties / environment ({@link GeoPigeonConfig}).
 */
@DescribeProcess(title = "Geolocate photo",
        description = "Predicts where a photo (or a 4-view panorama) was taken: the most probable geocells and a"
                + " point estimate (PIGEON/PIGEOTTO method), with the photo's own GPS position when it has one."
                + " Each request is audited with its purpose. Results are probabilistic estimates, not evidence.",
        version = "1.1.0")
public class GeolocateProcess {

    /** The formats the image input accepts, advertised by DescribeProcess (GeoServer's raw data metadata key). */
    public static final String MIME_TYPES = "image/jpeg,image/png,image/webp";

    private final GeoPigeonConfig config;
    /** Why the JVM's settings are unusable (a bad value, named), or null; told to every request. */
    private final String configProblem;

    /**
     * As GeoServer creates it (once per Execute): configuration from system properties and environment. A bad
     * setting does not fail the creation, which GeoServer would report as a bare exception: every Execute is refused
     * with the message naming the setting, the value and what is allowed (the message {@code serve} and the CLI
     * print at start-up).
     */
    public GeolocateProcess() {
        GeoPigeonConfig c = null;
        String problem = null;
        try {
            c = GeoPigeonConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.config = c;
        this.configProblem = problem;
    }

    public GeolocateProcess(GeoPigeonConfig config) {
        this.config = config;
        this.configProblem = null;
    }

    /**
     * One WPS Execute of {@code geopigeon:Geolocate} (WPS 1.0.0, OGC 05-007r7, clause 10): GeoServer's raw images in,
     * one {@code AuditedGeolocation.locate} call, the answer as GeoTools features out. Inputs and outputs are
     * declared by the annotations, which GeoServer publishes in DescribeProcess. Thread-safe: GeoServer runs
     * concurrent executions on one instance; the shared service bounds them.
     *
     * @param monitor GeoServer's progress listener, or null; receives the engine's stages and may cancel between them
     * @return {@code cells} (top-K MultiPolygons), {@code location} (one Point) and {@code predictionId} ("" when not
     *   stored)
     * @throws ProcessException with a plain sentence, never a stack trace: "not configured" with the missing setting,
     *   or the service's error code and client-safe message for a refused or failed request (its audit row is written
     *   either way)
     */
    @DescribeResults({
        @DescribeResult(name = "cells", type = SimpleFeatureCollection.class, primary = true,
                description = "Top-K geocells (MultiPolygon, EPSG:4326) with rank, cell_id, name, admin1, country,"
                        + " probability"),
        @DescribeResult(name = "location", type = SimpleFeatureCollection.class,
                description = "One point (EPSG:4326): the location estimate with confidence, refined, top-1 cell,"
                        + " the photo's GPS position (exif_lat, exif_lon; null when absent), where in the file it was"
                        + " read (gps_source: exif for the EXIF GPS block, xmp for the XMP packet) and its great-circle"
                        + " distance to the estimate (exif_distance_km, sphere of radius 6371.0088 km), model,"
                        + " trained, the precision the backbone ran in (fp32, bf16, fp16 or int8: the server's"
                        + " geopigeon.precision setting), predictionId, auditId and the SHA-256 of the decoded pixels"),
        @DescribeResult(name = "predictionId", type = String.class,
                description = "Id of the stored prediction in geopigeon.predictions; empty when store=false")
    })
    public Map<String, Object> execute(
            @DescribeParameter(name = "image", collectionType = RawData.class, min = 1, max = 4,
                    meta = {"mimeTypes=" + MIME_TYPES},
                    description = "The photo (JPEG, PNG or WebP, as sent: EXIF orientation and GPS are read), or"
                            + " exactly 4 views of a panorama 90 degrees apart. At most 25 MiB and 80 megapixels"
                            + " per image (server settings), at least 32 x 32 pixels")
            List<RawData> image,
            @DescribeParameter(name = "purpose", min = 1,
                    description = "Why you need this location (required; recorded in the audit log)")
            String purpose,
            @DescribeParameter(name = "topK", min = 0, defaultValue = "5", minValue = 1,
                    maxValue = LocateOptions.MAX_TOP_K,
                    description = "Number of geocells to return, 1 to " + LocateOptions.MAX_TOP_K)
            Integer topK,
            @DescribeParameter(name = "store", min = 0, defaultValue = "true",
                    description = "Save the prediction in PostGIS (an audit row is written either way)")
            Boolean store,
            ProgressListener monitor) throws ProcessException {
        if (configProblem != null || config == null) {
            throw new ProcessException("geopigeon:Geolocate is not configured: invalid setting: " + configProblem);
        }
        if (monitor != null) {
            monitor.started();
        }
        AuditedGeolocation service;
        try {
            service = SharedServices.geolocation(config);
        } catch (RuntimeException e) {
            // A configuration message (which setting is missing), no cause: GeoServer prints cause chains.
            throw new ProcessException("geopigeon:Geolocate is not configured: " + e.getMessage());
        }
        LocateRequest request = new LocateRequest(uploads(image), purpose, topK,
                store == null ? config.storeDefault() : store, CallerInfo.current(), Map.of("interface", "wps"));
        Located located;
        try {
            located = service.locate(request, new ProgressBridge(monitor));
        } catch (GeolocationException e) {
            // The service's message is written for the client; the detail is in the server log (incident id).
            throw new ProcessException(e.code() + ": " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cells", ResultFeatures.cells(located.result()));
        out.put("location", ResultFeatures.location(located.result()));
        out.put("predictionId", located.predictionId() == null ? "" : located.predictionId().toString());
        if (monitor != null) {
            monitor.complete();
        }
        return out;
    }

    /** GeoServer's raw inputs as uploads; the stream is opened (once) by the service. */
    private static List<ImageUpload> uploads(List<RawData> image) {
        List<ImageUpload> uploads = new ArrayList<>();
        if (image != null) {
            for (RawData raw : image) {
                uploads.add(raw == null ? null : ImageUpload.ofStream(raw::getInputStream, raw.getMimeType(), null));
            }
        }
        return uploads;
    }
}
