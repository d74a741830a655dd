package org.geopigeon.service.store;

import java.util.UUID;

/**
 * Where the audit row of a refused or failed request went ({@link AuditTrail#recordRefusal}).
 *
 * @param auditId    id of the row in {@code geopigeon.audit_log}, or null when the database could not take it
 * @param spoolId    when the database could not take it: the id of the row in the local spool (replayed into
 *                   the log when the database is back), else null
 * @param incidentId when the database failed: the incident under which the server log has the detail
 */
public record AuditReceipt(Long auditId, UUID spoolId, String incidentId) {

    static AuditReceipt written(long auditId) {
        return new AuditReceipt(auditId, null, null);
    }

    static AuditReceipt spooled(UUID spoolId, String incidentId) {
        return new AuditReceipt(null, spoolId, incidentId);
    }

    static AuditReceipt lost(String incidentId) {
        return new AuditReceipt(null, null, incidentId);
    }

    /** True when the row is in the audit log or, waiting for it, in the spool. */
    public boolean recorded() {
        return auditId != null || spoolId != null;
    }

    /**
     * What to add to the refusal message for the client: nothing when the row is in the log, else where it
     * is. Names no path, SQL or class.
     */
    public String clientNote() {
        if (auditId != null) {
            return "";
        }
        if (spoolId != null) {
            return "; the audit database is unavailable, so this refusal waits in the local audit spool as " + spoolId
                    + " and joins the audit log when the database is back";
        }
        return "; the audit row could not be written, not even to the local spool (incident " + incidentId
                + " in " + StoreException.logName() + ")";
    }
}
