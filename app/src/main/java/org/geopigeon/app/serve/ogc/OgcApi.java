package org.geopigeon.app.serve.ogc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.auth.Permission;
import org.geopigeon.app.serve.http.AccessGate;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.app.serve.http.ProblemException;
import org.geopigeon.app.serve.http.ProblemTypes;
import org.geopigeon.app.serve.http.RequestInfo;
import org.geopigeon.app.serve.jobs.AsyncJobRunner;
import org.geopigeon.app.serve.jobs.JobRecord;
import org.geopigeon.app.serve.jobs.JobStatus;
import org.geopigeon.app.serve.jobs.JobStore;
import org.geopigeon.app.serve.process.ExecuteRequest;
import org.geopigeon.app.serve.process.ExecuteRequestReader;
import org.geopigeon.app.serve.process.ExecutionMetrics;
import org.geopigeon.app.serve.process.GeolocateProcess;
import org.geopigeon.app.serve.process.HrefFetcher;
import org.geopigeon.app.serve.process.InputSpec;
import org.geopigeon.app.serve.process.InputValue;
import org.geopigeon.app.serve.process.JobContext;
import org.geopigeon.app.serve.process.OgcProcess;
import org.geopigeon.app.serve.process.OutputRequest;
import org.geopigeon.app.serve.process.ProcessRegistry;
import org.geopigeon.app.serve.process.ProcessResult;
import org.geopigeon.app.serve.process.ProcessSpec;
import org.geopigeon.app.serve.process.RefusalAudit;
import org.geopigeon.app.serve.process.ResponseMode;
import org.geopigeon.service.store.StoreException;

/**
 * OGC API - Processes - Part 1: Core 1.0 (OGC 18-062r2) on this server: landing page, conformance, the
 * OpenAPI service description, process list and descriptions, synchronous and asynchronous execution
 * ({@code Prefer: respond-async}), the job list, job status, results and dismissal. Conformance classes:
 * {@link #CONFORMANCE}.
 */
public final class OgcApi {

    private static final String CONF = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/";
    /** The conformance classes this server implements (clause 7.4). */
    public static final List<String> CONFORMANCE = List.of(CONF + "core", CONF + "ogc-process-description",
            CONF + "json", CONF + "oas30", CONF + "job-list", CONF + "dismiss");
    static final String OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0";
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 1000;

    private final ProcessRegistry processes;
    private final ExecuteRequestReader reader;
    private final HrefFetcher hrefs;
    private final ExecutionResponder responder;
    private final JobStore jobs;
    private final AsyncJobRunner runner;
    private final RefusalAudit refusals;
    private final ExecutionMetrics metrics;
    private final OpenApiDocument openApi;
    private final JsonBodies json;
    private final RequestInfo info;
    private final Duration retention;
    private final long maxHrefBytes;
    private final String title;

    /**
     * @param retention    how long finished jobs and their results are kept
     * @param maxHrefBytes largest body fetched for an input given by reference
     * @param title        the landing page title (names the model)
     */
    public OgcApi(ProcessRegistry processes, ExecuteRequestReader reader, HrefFetcher hrefs,
                  ExecutionResponder responder, JobStore jobs,
                  AsyncJobRunner runner, RefusalAudit refusals, ExecutionMetrics metrics, OpenApiDocument openApi,
                  JsonBodies json, RequestInfo info, Duration retention, long maxHrefBytes, String title) {
        this.processes = processes;
        this.reader = reader;
        this.hrefs = hrefs;
        this.responder = responder;
        this.jobs = jobs;
        this.runner = runner;
        this.refusals = refusals;
        this.metrics = metrics;
        this.openApi = openApi;
        this.json = json;
        this.info = info;
        this.retention = retention;
        this.maxHrefBytes = maxHrefBytes;
        this.title = title;
    }

    /** The writer of synchronous execution results, shared with the job results route. */
    public ExecutionResponder responder() {
        return responder;
    }

    /** Registers the routes; the permission of each is its route role (checked by the server). */
    public void register(RoutesConfig r) {
        r.get("/", this::landingPage);
        r.get("/conformance", ctx -> json.write(ctx, 200, JsonBodies.JSON,
                new Documents.ConformanceDeclaration(CONFORMANCE)));
        r.get("/api", ctx -> ctx.status(200).contentType(OPENAPI_TYPE).result(openApi.json(info.base(ctx))));
        r.get("/processes", this::processList);
        r.get("/processes/{processId}", this::processDescription);
        r.post("/processes/{processId}/execution", this::execute);
        r.get("/jobs", this::jobList, Permission.JOBS);
        r.get("/jobs/{jobId}", this::status, Permission.JOBS);
        r.delete("/jobs/{jobId}", this::dismiss, Permission.JOBS);
        r.get("/jobs/{jobId}/results", this::results, Permission.JOBS);
    }

    // ------------------------------------------------------------------ capabilities

    private void landingPage(Context ctx) {
        if (wantsHtml(ctx)) {
            ctx.status(303).header("Location", "/viewer/"); // browsers get the map viewer
            return;
        }
        String b = info.base(ctx);
        List<Link> links = List.of(
                new Link(b + "/", "self", JsonBodies.JSON, "this document"),
                new Link(b + "/api", "service-desc", OPENAPI_TYPE, "the API definition (OpenAPI 3.0)"),
                new Link(b + "/viewer/", "service-doc", "text/html", "map viewer"),
                new Link(b + "/conformance", Rels.CONFORMANCE, JsonBodies.JSON, "conformance classes"),
                new Link(b + "/conformance", "conformance", JsonBodies.JSON, "conformance classes"),
                new Link(b + "/processes", Rels.PROCESSES, JsonBodies.JSON, "processes"),
                new Link(b + "/processes", "processes", JsonBodies.JSON, "processes"),
                new Link(b + "/jobs", Rels.JOB_LIST, JsonBodies.JSON, "jobs"),
                new Link(b + "/jobs", "job-list", JsonBodies.JSON, "jobs"));
        json.write(ctx, 200, JsonBodies.JSON, new Documents.LandingPage(title,
                "Image geolocation (PIGEON/PIGEOTTO method) as OGC API - Processes. Every geolocation is recorded"
                        + " in an audit log with its purpose; images are never stored.", links));
    }

    /** A browser asking for a page ({@code ?f=html}, or text/html before any JSON in Accept). */
    private static boolean wantsHtml(Context ctx) {
        String f = ctx.queryParam("f");
        if (f != null) {
            return f.equalsIgnoreCase("html");
        }
        String accept = ctx.header("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        int html = a.indexOf("text/html");
        int jsonAt = a.indexOf("json");
        return html >= 0 && (jsonAt < 0 || html < jsonAt);
    }

    private void processList(Context ctx) {
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String b = info.base(ctx);
        List<OgcProcess> all = processes.all();
        List<Documents.ProcessSummary> page = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            ProcessSpec s = all.get(i).spec();
            page.add(new Documents.ProcessSummary(s.id(), s.title(), s.description(), s.keywords(), s.version(),
                    List.of("sync-execute", "async-execute", "dismiss"), List.of("value"),
                    List.of(new Link(b + "/processes/" + s.id(), "self", JsonBodies.JSON, "process description"))));
        }
        List<Link> links = new ArrayList<>();
        links.add(new Link(b + "/processes?limit=" + limit + "&offset=" + offset, "self", JsonBodies.JSON, null));
        if (offset + limit < all.size()) {
            links.add(new Link(b + "/processes?limit=" + limit + "&offset=" + (offset + limit), "next",
                    JsonBodies.JSON, "next page"));
        }
        json.write(ctx, 200, JsonBodies.JSON, new Documents.ProcessList(page, links));
    }

    private void processDescription(Context ctx) {
        ProcessSpec s = process(ctx.pathParam("processId")).spec();
        String b = info.base(ctx);
        Map<String, Documents.InputDescription> inputs = new LinkedHashMap<>();
        for (InputSpec in : s.inputs()) {
            inputs.put(in.id(), new Documents.InputDescription(in.title(), in.description(), in.minOccurs(),
                    in.maxOccurs(), in.schema()));
        }
        Map<String, Documents.OutputDescription> outputs = new LinkedHashMap<>();
        s.outputs().forEach(o -> outputs.put(o.id(), new Documents.OutputDescription(o.title(), o.description(),
                o.schema())));
        json.write(ctx, 200, JsonBodies.JSON, new Documents.ProcessDescription(s.id(), s.title(), s.description(),
                s.keywords(), s.version(), List.of("sync-execute", "async-execute", "dismiss"), List.of("value"),
                inputs, outputs, List.of(
                new Link(b + "/processes/" + s.id(), "self", JsonBodies.JSON, "this description"),
                new Link(b + "/processes/" + s.id() + "/execution", Rels.EXECUTE, JsonBodies.JSON,
                        "execute endpoint"))));
    }

    private OgcProcess process(String id) {
        return processes.find(id).orElseThrow(() -> new ProblemException(new Problem(ProblemTypes.NO_SUCH_PROCESS,
                "No such process", 404, "there is no process '" + id + "'; GET /processes lists them", null,
                "NO_SUCH_PROCESS", null)));
    }

    // ------------------------------------------------------------------ execution

    /**
     * {@code POST /processes/{id}/execution}: synchronous by default; with {@code Prefer: respond-async} a job
     * (201 + Location). For an audited process every refusal before it runs is audited here.
     */
    private void execute(Context ctx) {
        OgcProcess process = process(ctx.pathParam("processId"));
        Caller caller = RequestInfo.caller(ctx);
        ExecuteRequest request = null;
        try {
            if (!caller.can(Permission.EXECUTE)) {
                throw ProblemException.of(403, "FORBIDDEN", "role " + caller.role().id() + " may not run processes;"
                        + " an analyst or admin token is needed");
            }
            String type = ctx.contentType();
            if (type == null || type.isBlank()) {
                throw ProblemException.of(415, "UNSUPPORTED_MEDIA_TYPE", "the execute request must be JSON and say"
                        + " so: send the header 'Content-Type: application/json'; images go in it as base64");
            }
            if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw ProblemException.of(415, "UNSUPPORTED_MEDIA_TYPE", "the execute request must be JSON"
                        + " (Content-Type: application/json), not '" + type + "'; images go in it as base64");
            }
            request = reader.read(ctx.bodyInputStream(), process.spec());
            request = resolveReferences(request, process.spec());
        } catch (ProblemException e) {
            throw audited(process, e, caller, ctx, request);
        }
        boolean async = preferAsync(ctx);
        if (async) {
            startJob(ctx, process, request, caller);
            return;
        }
        ProcessResult result = process.execute(request, caller, JobContext.NONE);
        ctx.attribute(AccessGate.AUDITED, Boolean.TRUE); // the service wrote its row: a later failure adds none
        if (preferSync(ctx)) {
            ctx.header("Preference-Applied", "respond-sync");
        }
        responder.respond(ctx, 200, ExecutionResponder.selected(result.outputs(), request.outputs()),
                request.response());
    }

    private ProblemException audited(OgcProcess process, ProblemException e, Caller caller, Context ctx,
                                     ExecuteRequest request) {
        if (!process.audited()) {
            return e;
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("interface", "ogcapi");
        return refusals.record(e, caller, ctx.ip(), request == null ? null : GeolocateProcess.statedPurpose(request),
                extra);
    }

    private ExecuteRequest resolveReferences(ExecuteRequest request, ProcessSpec spec) {
        Map<String, List<InputValue>> resolved = new LinkedHashMap<>();
        boolean any = false;
        for (Map.Entry<String, List<InputValue>> e : request.inputs().entrySet()) {
            InputSpec in = spec.input(e.getKey()).orElseThrow();
            List<InputValue> values = new ArrayList<>();
            int n = 0;
            for (InputValue v : e.getValue()) {
                n++;
                if (v instanceof InputValue.Reference ref) {
                    any = true;
                    String what = "input '" + in.id() + "'" + (e.getValue().size() > 1 ? " (value " + n + ")" : "");
                    HrefFetcher.Fetched f = hrefs.fetch(ref.href(), what, maxHrefBytes);
                    values.add(in.binary() ? new InputValue.Binary(f.bytes(), ref.mediaType() != null
                            ? ref.mediaType() : f.mediaType()) : parsed(f.bytes(), what));
                } else {
                    values.add(v);
                }
            }
            resolved.put(e.getKey(), values);
        }
        return any ? request.withInputs(resolved) : request;
    }

    private InputValue parsed(byte[] body, String what) {
        try {
            return new InputValue.Json(json.mapper().readTree(body));
        } catch (java.io.IOException e) {
            throw ProblemException.of(400, "HREF_FAILED", what + ": the referenced document is not JSON");
        }
    }

    private void startJob(Context ctx, OgcProcess process, ExecuteRequest request, Caller caller) {
        if (!runner.tryReserve()) {
            int retry = metrics.retryAfter(runner.pending() + 1);
            ProblemException busy = ProblemException.of(503, "BUSY", runner.maxJobs() + " jobs are already queued or"
                    + " running; try again in " + retry + " s").withHeader("Retry-After", String.valueOf(retry));
            throw audited(process, busy, caller, ctx, request);
        }
        UUID id = UUID.randomUUID();
        JobRecord job;
        try {
            job = jobs.create(id, process.spec().id(), caller.name(), requestSummary(request));
        } catch (StoreException e) {
            runner.release();
            throw audited(process, ProblemException.of(503, "STORE_FAILED", "the job could not be recorded: the"
                    + " database is unavailable").withHeader("Retry-After", "10"), caller, ctx, request);
        }
        runner.submit(id, process, request, caller);
        ctx.attribute(AccessGate.AUDITED, Boolean.TRUE); // the job's run writes the row
        String b = info.base(ctx);
        ctx.header("Location", b + "/jobs/" + id);
        ctx.header("Preference-Applied", "respond-async");
        json.write(ctx, 201, JsonBodies.JSON, statusInfo(job, b));
    }

    private static boolean preferAsync(Context ctx) {
        String p = ctx.header("Prefer");
        return p != null && p.toLowerCase(Locale.ROOT).contains("respond-async");
    }

    private static boolean preferSync(Context ctx) {
        String p = ctx.header("Prefer");
        return p != null && p.toLowerCase(Locale.ROOT).contains("respond-sync");
    }

    /** What a job keeps of its request: the response mode and requested outputs, never the inputs. */
    private JsonNode requestSummary(ExecuteRequest request) {
        ObjectNode s = json.mapper().createObjectNode();
        s.put("response", request.response().name().toLowerCase(Locale.ROOT));
        ObjectNode outs = s.putObject("outputs");
        request.outputs().forEach((id, o) -> {
            ObjectNode n = outs.putObject(id).put("transmissionMode", o.transmissionMode());
            if (o.mediaType() != null) {
                n.putObject("format").put("mediaType", o.mediaType());
            }
        });
        return s;
    }

    // ------------------------------------------------------------------ jobs

    private void jobList(Context ctx) {
        Caller caller = RequestInfo.caller(ctx);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<String> processIds = multi(ctx, "processID");
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String s : multi(ctx, "status")) {
            try {
                statuses.add(JobStatus.parse(s));
            } catch (IllegalArgumentException e) {
                throw ProblemException.of(400, "INVALID_PARAMETER", e.getMessage());
            }
        }
        List<String> types = multi(ctx, "type");
        String b = info.base(ctx);
        List<Documents.StatusInfo> list = new ArrayList<>();
        boolean more = false;
        if (types.isEmpty() || types.contains("process")) {
            String owner = caller.role().seesEveryone() ? null : caller.name();
            String processId = processIds.size() == 1 ? processIds.get(0) : null;
            List<JobRecord> rows = jobs.list(owner, processId, statuses, limit + 1, offset);
            more = rows.size() > limit;
            for (JobRecord j : rows.subList(0, Math.min(limit, rows.size()))) {
                if (processIds.size() <= 1 || processIds.contains(j.processId())) {
                    list.add(statusInfo(j, b));
                }
            }
        }
        String query = ctx.queryString() == null ? "" : ctx.queryString().replaceAll("(^|&)(limit|offset)=[^&]*", "")
                .replaceAll("^&", "");
        String prefix = b + "/jobs?" + (query.isEmpty() ? "" : query + "&");
        List<Link> links = new ArrayList<>();
        links.add(new Link(prefix + "limit=" + limit + "&offset=" + offset, "self", JsonBodies.JSON, null));
        if (more) {
            links.add(new Link(prefix + "limit=" + limit + "&offset=" + (offset + limit), "next", JsonBodies.JSON,
                    "next page"));
        }
        json.write(ctx, 200, JsonBodies.JSON, new Documents.JobList(list, links));
    }

    private void status(Context ctx) {
        JobRecord job = visibleJob(ctx);
        json.write(ctx, 200, JsonBodies.JSON, statusInfo(job, info.base(ctx)));
    }

    private void dismiss(Context ctx) {
        JobRecord job = visibleJob(ctx);
        if (job.status() == JobStatus.DISMISSED) {
            // Idempotent (RFC 9110, 9.2.2), and in step with GET /jobs/{id}, which shows the job as dismissed
            // until retention deletes it (OGC 18-062r2, clause 13: status "dismissed").
            json.write(ctx, 200, JsonBodies.JSON, statusInfo(job, info.base(ctx)));
            return;
        }
        runner.cancel(job.id());
        JobRecord dismissed = jobs.dismiss(job.id(), retention).orElseThrow(() -> noSuchJob(ctx.pathParam("jobId"), ""));
        json.write(ctx, 200, JsonBodies.JSON, statusInfo(dismissed, info.base(ctx)));
    }

    private void results(Context ctx) {
        JobRecord job = visibleJob(ctx);
        switch (job.status()) {
            case ACCEPTED, RUNNING -> throw new ProblemException(new Problem(ProblemTypes.RESULT_NOT_READY,
                    "Result not ready", 404, "job " + job.id() + " is " + job.status().id() + "; its results exist once"
                    + " it is successful (poll /jobs/" + job.id() + ")", null, "RESULT_NOT_READY", null));
            case DISMISSED -> throw noSuchJob(job.id().toString(), " (it was dismissed and its results deleted)");
            case FAILED -> {
                Problem p = job.problem() == null ? Problem.of(500, "JOB_FAILED", "the job failed")
                        : json.mapper().convertValue(job.problem(), Problem.class);
                throw new ProblemException(p);
            }
            case SUCCESSFUL -> {
                JsonNode stored = jobs.results(job.id()).orElseThrow(() -> noSuchJob(job.id().toString(),
                        " (its results were deleted)"));
                ResponseMode mode = "document".equals(job.request().path("response").asText())
                        ? ResponseMode.DOCUMENT : ResponseMode.RAW;
                Map<String, OutputRequest> requested = new LinkedHashMap<>();
                job.request().path("outputs").fieldNames().forEachRemaining(id -> requested.put(id,
                        new OutputRequest("value", null)));
                responder.respond(ctx, 200, ExecutionResponder.selected(ExecutionResponder.fromStored(stored),
                        requested), mode);
            }
            default -> throw new IllegalStateException("job status " + job.status());
        }
    }

    /** The job of the path if the caller may see it; else 404 (never 403: other people's jobs do not exist). */
    private JobRecord visibleJob(Context ctx) {
        Caller caller = RequestInfo.caller(ctx);
        String raw = ctx.pathParam("jobId");
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw noSuchJob(raw, "");
        }
        Optional<JobRecord> job = jobs.get(id);
        if (job.isEmpty() || !job.get().owner().equals(caller.name()) && !caller.role().seesEveryone()) {
            throw noSuchJob(raw, "");
        }
        return job.get();
    }

    private ProblemException noSuchJob(String id, String why) {
        return new ProblemException(new Problem(ProblemTypes.NO_SUCH_JOB, "No such job", 404, "there is no job '" + id
                + "' you may see" + why + "; finished jobs are deleted " + hours(retention) + " after they end",
                null, "NO_SUCH_JOB", null));
    }

    private static String hours(Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    /** The status document of a job (clause 7.12). */
    public Documents.StatusInfo statusInfo(JobRecord j, String b) {
        List<Link> links = new ArrayList<>();
        links.add(new Link(b + "/jobs/" + j.id(), "self", JsonBodies.JSON, "job status"));
        if (j.status() == JobStatus.SUCCESSFUL) {
            links.add(new Link(b + "/jobs/" + j.id() + "/results", Rels.RESULTS, JsonBodies.JSON, "job results"));
        }
        links.add(new Link(b + "/jobs", "up", JsonBodies.JSON, "job list"));
        return new Documents.StatusInfo(j.processId(), "process", j.id().toString(), j.status().id(), j.message(),
                time(j.created()), time(j.started()), time(j.finished()), time(j.updated()), j.progress(), links);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------ parameters

    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.of(400, "INVALID_PARAMETER", name + " must be an integer from " + min + " to "
                    + max + ", got '" + v + "'");
        }
    }

    /** A query parameter given repeatedly or comma-separated. */
    private static List<String> multi(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String v : ctx.queryParams(name)) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
