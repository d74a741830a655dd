package org.geopigeon.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.engine.model.PrecisionChoice;

/**
 * One geolocation request as a front end received it: undecoded images and the caller's parameters, not
 * yet validated ({@link AuditedGeolocation} checks, decodes and audits).
 *
 * @param images  the photo, or four panorama views 90 degrees apart; elements may be null (refused as missing)
 * @param purpose why the caller wants this location (required, recorded in the audit log)
 * @param topK    cells to return (1..50), or null for the model default
 * @param store   persist the prediction (an audit row is written either way)
 * @param context principal and client address
 * @param extra   additional parameters recorded in the audit row (e.g. {@code interface: wps}); never file names
 * @param refine  run retrieval refinement; null for the model default
 * @param precision the backbone precision the caller asks for; null or auto for the server's own. Another one is
 *                  served when the server allows it and has it ({@link ModelProvider#get(PrecisionChoice)}), else the
 *                  request is refused as {@code INVALID_PRECISION}
 */
public record LocateRequest(List<ImageUpload> images, String purpose, Integer topK, boolean store,
                            RequestContext context, Map<String, Object> extra, Boolean refine,
                            PrecisionChoice precision) {

    public LocateRequest {
        images = images == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(images));
        context = context == null ? new RequestContext(null, null) : context;
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A request in the server's own precision. */
    public LocateRequest(List<ImageUpload> images, String purpose, Integer topK, boolean store,
                         RequestContext context, Map<String, Object> extra, Boolean refine) {
        this(images, purpose, topK, store, context, extra, refine, null);
    }

    public LocateRequest(List<ImageUpload> images, String purpose, Integer topK, boolean store,
                         RequestContext context, Map<String, Object> extra) {
        this(images, purpose, topK, store, context, extra, null, null);
    }

    public LocateRequest(List<ImageUpload> images, String purpose, Integer topK, boolean store,
                         RequestContext context) {
        this(images, purpose, topK, store, context, Map.of(), null, null);
    }
}
