package org.geopigeon.service.store;

/**
 * What one replay of the audit spool did ({@link AuditTrail#replayPending()}).
 *
 * @param replayed     rows inserted into the audit log now, in spool order
 * @param alreadyInLog rows found in the log already (replayed before, e.g. by another process)
 * @param remaining    rows still waiting in the spool afterwards (0 unless another process was replaying)
 * @param skipped      true when another process held the replay lock; it replays the same rows
 */
public record ReplayResult(int replayed, int alreadyInLog, int remaining, boolean skipped) {

    static final ReplayResult NOTHING = new ReplayResult(0, 0, 0, false);
}
