package org.geopigeon.app.serve.jobs;

import java.util.Locale;

/** Job states of OGC API - Processes - Part 1 (OGC 18-062r2, schema {@code statusCode.yaml}). */
public enum JobStatus {
    ACCEPTED, RUNNING, SUCCESSFUL, FAILED, DISMISSED;

    /** The lower-case value used in status documents and the database. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * True for the end states (successful, failed, dismissed): the job will not change again and is deleted after
     * the retention time.
     */
    public boolean finished() {
        return this == SUCCESSFUL || this == FAILED || this == DISMISSED;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static JobStatus parse(String s) {
        for (JobStatus j : values()) {
            if (j.id().equals(s)) {
                return j;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + s + "': use accepted, running, successful,"
                + " failed or dismissed");
    }
}
