package org.geopigeon.service.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of the local audit spool: the audit row of a refused or failed request that the database could
 * not take when it happened, waiting to be replayed into {@code geopigeon.audit_log} (see {@link AuditTrail}).
 * The same fields as the row, never the image.
 *
 * @param spoolId   the row's idempotency key, given before the first attempt to write it; becomes
 *                  {@code audit_log.request_key}, so the row is inserted once however often it is replayed
 * @param spooledAt when the row was spooled (the time of the refusal); becomes {@code audit_log.spooled_at}
 * @param reason    why the database could not take it, as the client was told (no SQL; with the incident id
 *                  under which the server log has the detail)
 * @param entry     the audit row itself; never an accepted request (no audit row, no result)
 */
public record SpooledAuditRow(UUID spoolId, Instant spooledAt, String reason, AuditEntry entry) {

    public SpooledAuditRow {
        Objects.requireNonNull(spoolId, "spoolId");
        Objects.requireNonNull(spooledAt, "spooledAt");
        Objects.requireNonNull(entry, "entry");
        if (entry.outcome() == Outcome.ACCEPTED) {
            throw new IllegalArgumentException("an accepted request is never spooled: without its audit row in the"
                    + " database its result is withheld (fail closed)");
        }
    }
}
