package org.geopigeon.service.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row to append to {@code geopigeon.audit_log}. The database sets id, time and the hash chain.
 *
 * @param principal     authenticated user, or "anonymous"
 * @param clientAddress remote address of the request, or null when unknown (CLI)
 * @param purpose       the reason the caller gave for the request
 * @param imageSha256   SHA-256 (hex) of the decoded RGB pixels of each view; never the image
 * @param parameters    request parameters (topK, panorama, store, ...), stored as jsonb
 * @param outcome       accepted, refused or failed
 * @param errorCode     why it was refused or failed; null when accepted
 * @param predictionId  id of the stored prediction, or null when not stored
 * @param model         model name, or null when no model could be loaded
 */
public record AuditEntry(String principal, String clientAddress, String purpose, List<String> imageSha256,
                         Map<String, Object> parameters, Outcome outcome, ErrorCode errorCode, Long predictionId,
                         String model) {

    public AuditEntry {
        principal = principal == null || principal.isBlank() ? "anonymous" : principal;
        imageSha256 = List.copyOf(imageSha256 == null ? List.of() : imageSha256);
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.ACCEPTED) != (errorCode == null)) {
            throw new IllegalArgumentException("an accepted entry has no error code and a refused/failed one has one: "
                    + outcome + " / " + errorCode);
        }
    }

    /** An accepted request; see {@link #refused(ErrorCode)} and {@link #withPredictionId(Long)}. */
    public static AuditEntry accepted(String principal, String clientAddress, String purpose, List<String> imageSha256,
                                      Map<String, Object> parameters, String model) {
        return new AuditEntry(principal, clientAddress, purpose, imageSha256, parameters, Outcome.ACCEPTED, null,
                null, model);
    }

    /** The same request, turned away or failed with {@code code}. */
    public AuditEntry refused(ErrorCode code) {
        return new AuditEntry(principal, clientAddress, purpose, imageSha256, parameters, code.outcome(), code,
                null, model);
    }

    /** The same entry pointing at a stored prediction (null: not stored). */
    public AuditEntry withPredictionId(Long id) {
        return new AuditEntry(principal, clientAddress, purpose, imageSha256, parameters, outcome, errorCode, id, model);
    }

    /** The same entry with the pixel SHA-256 (hex) of each view, in request order. */
    public AuditEntry withImages(List<String> hashes) {
        return new AuditEntry(principal, clientAddress, purpose, hashes, parameters, outcome, errorCode, predictionId,
                model);
    }

    /**
     * The same entry with other request parameters (stored as jsonb; copied, so later changes to the map do not
     * show).
     */
    public AuditEntry withParameters(Map<String, Object> params) {
        return new AuditEntry(principal, clientAddress, purpose, imageSha256, params, outcome, errorCode, predictionId,
                model);
    }

    /** The same entry naming the model that answered. */
    public AuditEntry withModel(String name) {
        return new AuditEntry(principal, clientAddress, purpose, imageSha256, parameters, outcome, errorCode,
                predictionId, name);
    }
}
