package org.geopigeon.app;

import java.awt.image.RenderedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.AuditedGeolocation;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.LoadedModel;
import org.geopigeon.service.LocateRequest;
import org.geopigeon.service.Located;
import org.geopigeon.service.RequestContext;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code locate --store/--purpose}: each image (or panorama) goes through {@link AuditedGeolocation},
 * so it gets one audit row (accepted, refused or failed) and, with --store, a stored prediction.
 * A file the decoder rejects is still audited as refused, with the decoder's reason shown.
 */
final class AuditedLocate {

    private final AuditedGeolocation service;
    private final ImageDecoder decoder = new ImageDecoder();
    private final String purpose;
    private final LocateOptions options;
    private final boolean store;
    private final PrintWriter err;

    /** Checks the options and connects the service; bad options are picocli usage errors (exit 2). */
    static AuditedLocate create(CommandLine cmd, ModelBundle bundle, String jdbcUrl, String purpose,
                                LocateOptions options, boolean store, PrintWriter err) {
        if (purpose == null || purpose.isBlank()) {
            throw new ParameterException(cmd, "--store needs --purpose TEXT: say why you need these locations"
                    + " (recorded in the audit log)");
        }
        GeoPigeonConfig config = GeoPigeonConfig.fromEnvironment();
        if (jdbcUrl != null) {
            config = config.withJdbc(jdbcUrl, config.jdbcUser(), config.jdbcPassword());
        }
        if (!config.hasDatabase()) {
            throw new ParameterException(cmd, "--store/--purpose need a database: pass --jdbc URL or set"
                    + " GEOPIGEON_JDBC_URL");
        }
        return new AuditedLocate(bundle, config, purpose, options, store, err);
    }

    AuditedLocate(ModelBundle bundle, GeoPigeonConfig config, String purpose, LocateOptions options, boolean store,
                  PrintWriter err) {
        LoadedModel model = LoadedModel.of(bundle);
        this.service = new AuditedGeolocation(() -> model, config.dataSource(), config.migrate(), 1, Duration.ZERO);
        this.purpose = purpose;
        this.options = options;
        this.store = store;
        this.err = err;
    }

    /**
     * @throws ImageRejectedException when a file cannot be decoded (after auditing the refusal)
     * @throws GeolocationException   when the request is refused or fails, or cannot be audited
     */
    Prediction locate(List<Path> group) {
        long t0 = System.nanoTime();
        List<RenderedImage> views = new ArrayList<>();
        LatLon exif = null;
        ImageRejectedException rejected = null;
        for (Path file : group) {
            try {
                DecodedImage d = decoder.decode(file);
                views.add(d.rgb());
                exif = exif != null ? exif : d.exifGps();
            } catch (ImageRejectedException e) {
                views.add(null); // refused and audited by the service, then reported with the decoder's reason
                rejected = rejected != null ? rejected : e;
            }
        }
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        LocateRequest request = new LocateRequest(views, purpose, options.topK(), store, RequestContext.localUser(), exif,
                Map.of("interface", "cli"), options.refine());
        Located located;
        try {
            located = service.locate(request, StageListener.NONE);
        } catch (GeolocationException e) {
            if (rejected != null) {
                rejected.addSuppressed(e);
                throw rejected;
            }
            throw e;
        }
        err.println(group.get(0) + ": audit row " + located.auditId()
                + (located.predictionId() == null ? "" : ", stored prediction " + located.predictionId()));
        err.flush();
        Prediction p = located.prediction();
        return p.withTimings(p.timings().withDecodeMs(decodeMs));
    }
}
