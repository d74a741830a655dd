package org.geopigeon.app.serve.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.engine.model.PrecisionChoice;

/**
 * A geolocation request from any front end of the service (OGC API execution, the old /api/v1/locate).
 *
 * @param images  one photo or the four views of a panorama, undecoded
 * @param purpose why the caller needs the location (validated and audited by the service)
 * @param topK    cells asked for, or null for the model default
 * @param store   keep the prediction in PostGIS, or null for the server default
 * @param caller  who asks
 * @param extra   parameters recorded in the audit row (interface, job id...)
 * @param precision the backbone precision asked for, or null for the server's own
 */
public record GeolocateRequest(List<UploadedImage> images, String purpose, Integer topK, Boolean store, Caller caller,
                               Map<String, Object> extra, PrecisionChoice precision) {

    public GeolocateRequest {
        images = List.copyOf(images);
        Objects.requireNonNull(caller, "caller");
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A request in the server's own precision. */
    public GeolocateRequest(List<UploadedImage> images, String purpose, Integer topK, Boolean store, Caller caller,
                            Map<String, Object> extra) {
        this(images, purpose, topK, store, caller, extra, null);
    }
}
