package org.geopigeon.app.serve.process;

import org.geopigeon.app.serve.auth.Caller;

/**
 * A process offered through OGC API - Processes. The front end parses the request envelope
 * ({@link ExecuteRequestReader}) and fetches references; the process checks its input values and runs.
 */
public interface OgcProcess {

    /** The process description: id, version, inputs and outputs (OGC 18-062r2, clause 7.10). */
    ProcessSpec spec();

    /**
     * Whether every execution request must leave an audit row (geolocation: yes, even for a malformed
     * request; the echo test process: no).
     */
    boolean audited();

    /**
     * @throws org.geopigeon.app.serve.http.ProblemException when an input is not acceptable or the run fails;
     *         for audited processes its {@code audit_id} names the audit row when one was written
     */
    ProcessResult execute(ExecuteRequest request, Caller caller, JobContext job);
}
