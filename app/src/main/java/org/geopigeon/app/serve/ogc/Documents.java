package org.geopigeon.app.serve.ogc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of OGC API - Processes - Part 1 (OGC 18-062r2), as records bound by Jackson. Member
 * names and order follow the standard's schemas (landingPage, confClasses, processList, process,
 * statusInfo, jobList).
 */
public final class Documents {

    private Documents() {
    }

    /** {@code GET /} (clause 7.2). */
    public record LandingPage(String title, String description, List<Link> links) {
    }

    /** {@code GET /conformance} (clause 7.4). */
    public record ConformanceDeclaration(List<String> conformsTo) {
    }

    /** One entry of {@code GET /processes} (clause 7.9, {@code processSummary}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessSummary(String id, String title, String description, List<String> keywords, String version,
                                 List<String> jobControlOptions, List<String> outputTransmission, List<Link> links) {
    }

    /** {@code GET /processes} (clause 7.9). */
    public record ProcessList(List<ProcessSummary> processes, List<Link> links) {
    }

    /** One input in a process description (clause 7.10, {@code inputDescription}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputDescription(String title, String description, int minOccurs, int maxOccurs, JsonNode schema) {
    }

    /** One output in a process description (clause 7.10, {@code outputDescription}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputDescription(String title, String description, JsonNode schema) {
    }

    /** {@code GET /processes/{processId}} (clause 7.10, {@code process}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessDescription(String id, String title, String description, List<String> keywords,
                                     String version, List<String> jobControlOptions, List<String> outputTransmission,
                                     Map<String, InputDescription> inputs, Map<String, OutputDescription> outputs,
                                     List<Link> links) {
    }

    /** {@code GET /jobs/{jobId}} (clause 7.12, {@code statusInfo}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusInfo(String processID, String type, String jobID, String status, String message,
                             String created, String started, String finished, String updated, Integer progress,
                             List<Link> links) {
    }

    /** {@code GET /jobs} (clause 11, job list). */
    public record JobList(List<StatusInfo> jobs, List<Link> links) {
    }
}
