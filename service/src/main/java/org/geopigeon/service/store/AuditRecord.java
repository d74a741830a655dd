package org.geopigeon.service.store;

import java.time.OffsetDateTime;
import java.util.List;

/** A row read back from {@code geopigeon.audit_log}; {@code parameters} is the jsonb text. */
public record AuditRecord(long id, OffsetDateTime ts, String principal, String clientAddress, String purpose,
                          List<String> imageSha256, String parameters, Outcome outcome, String errorCode,
                          Long predictionId, String model, String rowHashHex) {
}
