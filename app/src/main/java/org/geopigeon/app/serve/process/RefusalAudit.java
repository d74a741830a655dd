package org.geopigeon.app.serve.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditReceipt;
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ErrorCode;

/**
 * Records geolocation requests turned away before they reach the audited service (malformed request,
 * not authenticated, not allowed, too large, no capacity), so every request leaves exactly one audit row.
 * The exact problem goes to the row's {@code parameters.problem}. When the database cannot take the row it goes
 * to the service's local audit spool ({@link AuditTrail}) and joins the log later; the answer says so.
 */
public final class RefusalAudit {

    /** Principal of requests without valid credentials. */
    public static final String UNAUTHENTICATED = "unauthenticated";

    private final AuditTrail auditTrail;
    private final String model;

    public RefusalAudit(AuditTrail auditTrail, String model) {
        this.auditTrail = auditTrail;
        this.model = model;
    }

    /**
     * Writes the refusal and returns the problem to answer with its {@code audit_id}; when the row went to the
     * spool (or nowhere) the detail says so and there is no audit id.
     *
     * @param caller  who asked, or null when unauthenticated
     * @param peer    client address when there is no caller
     * @param purpose the stated purpose when it could be read, else null
     * @param extra   interface and other parameters for the audit row
     */
    public ProblemException record(ProblemException refusal, Caller caller, String peer, String purpose,
                                   Map<String, Object> extra) {
        Map<String, Object> params = new LinkedHashMap<>(extra);
        if (caller != null) {
            params.putAll(caller.auditParameters());
        }
        params.put("problem", refusal.problem().detail());
        params.put("status", refusal.problem().status());
        AuditEntry entry = AuditEntry.accepted(caller == null ? UNAUTHENTICATED : caller.name(),
                caller == null ? peer : caller.clientAddress(), purpose, List.of(), params, model)
                .refused(auditCode(refusal.problem().code()));
        AuditReceipt receipt = auditTrail.recordRefusal(entry);
        if (receipt.auditId() != null) {
            return refusal.withAuditId(receipt.auditId());
        }
        return new ProblemException(refusal.problem().withDetail(refusal.problem().detail() + receipt.clientNote()),
                refusal.headers());
    }

    /**
     * The audit code of a request refused before the service: the code the client sees in the answer
     * ({@code Problem.code}), so the audit log and the HTTP answer agree; a code the audit log does not know (none
     * today) is recorded as INVALID_REQUEST, with the exact problem in the row's parameters.
     */
    static ErrorCode auditCode(String code) {
        if (code == null) {
            return ErrorCode.INVALID_REQUEST;
        }
        try {
            return ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            return ErrorCode.INVALID_REQUEST;
        }
    }
}
