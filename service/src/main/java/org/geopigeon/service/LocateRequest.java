package org.geopigeon.service;

import java.awt.image.RenderedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.geo.LatLon;

/**
 * One geolocation request, as received (not yet validated: {@link AuditedGeolocation} does that and
 * audits refusals).
 *
 * @param views      the image, or four panorama views; elements may be null (refused)
 * @param purpose    why the caller wants this location (required, recorded in the audit log)
 * @param topK       cells to return (1..50), or null for the model default
 * @param store      persist the prediction (an audit row is written either way)
 * @param context    principal and client address
 * @param exifGps    GPS position from the image file's EXIF when the caller read the file, else null
 * @param extra      additional parameters recorded in the audit row (e.g. the interface used)
 * @param refine     run retrieval refinement; null for the model default
 */
public record LocateRequest(List<RenderedImage> views, String purpose, Integer topK, boolean store,
                            RequestContext context, LatLon exifGps, Map<String, Object> extra, Boolean refine) {

    public LocateRequest {
        views = views == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(views));
        context = context == null ? new RequestContext(null, null) : context;
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public LocateRequest(List<RenderedImage> views, String purpose, Integer topK, boolean store,
                         RequestContext context, LatLon exifGps, Map<String, Object> extra) {
        this(views, purpose, topK, store, context, exifGps, extra, null);
    }

    public LocateRequest(List<RenderedImage> views, String purpose, Integer topK, boolean store,
                         RequestContext context) {
        this(views, purpose, topK, store, context, null, Map.of(), null);
    }
}
