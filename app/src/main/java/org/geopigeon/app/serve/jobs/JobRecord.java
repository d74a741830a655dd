package org.geopigeon.app.serve.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code geopigeon.jobs} without its results.
 *
 * @param id           job id
 * @param processId    process run by the job
 * @param owner        principal that created it
 * @param status       current state
 * @param message      human-readable status message, or null
 * @param progress     0..100, or null when unknown
 * @param created      when it was accepted
 * @param started      when it started running, or null
 * @param finished     when it finished, or null
 * @param updated      last change
 * @param request      response mode and requested outputs of the execute request (never inputs)
 * @param problem      problem details of a failed job, or null
 * @param auditId      audit row written for the job's geolocation, or null
 * @param predictionId stored prediction, or null
 * @param expires      when the job and its results are deleted, or null while it runs
 */
public record JobRecord(UUID id, String processId, String owner, JobStatus status, String message, Integer progress,
                        OffsetDateTime created, OffsetDateTime started, OffsetDateTime finished,
                        OffsetDateTime updated, JsonNode request, JsonNode problem, Long auditId, Long predictionId,
                        OffsetDateTime expires) {
}
