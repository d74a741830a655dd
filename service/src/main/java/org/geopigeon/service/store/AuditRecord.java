package org.geopigeon.service.store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A row read back from {@code geopigeon.audit_log}; {@code parameters} is the jsonb text.
 *
 * @param ts        when the row joined the hash chain
 * @param requestKey idempotency key of a refusal recorded through {@link AuditTrail} (its spool id when it
 *                   waited in the spool); null for rows written without one (accepted requests)
 * @param spooledAt  for a row that waited in the local spool while the database was unavailable, when it was
 *                   spooled (the time of the refusal); else null
 */
public record AuditRecord(long id, OffsetDateTime ts, String principal, String clientAddress, String purpose,
                          List<String> imageSha256, String parameters, Outcome outcome, String errorCode,
                          Long predictionId, String model, String rowHashHex, UUID requestKey,
                          OffsetDateTime spooledAt) {
}
