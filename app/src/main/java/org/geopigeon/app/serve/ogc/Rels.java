package org.geopigeon.app.serve.ogc;

/** Link relation types of OGC API - Processes - Part 1 (OGC 18-062r2, clause 7.2 and 7.11). */
public final class Rels {

    private static final String OGC = "http://www.opengis.net/def/rel/ogc/1.0/";
    public static final String CONFORMANCE = OGC + "conformance";
    public static final String PROCESSES = OGC + "processes";
    public static final String JOB_LIST = OGC + "job-list";
    public static final String EXECUTE = OGC + "execute";
    public static final String RESULTS = OGC + "results";

    private Rels() {
    }
}
