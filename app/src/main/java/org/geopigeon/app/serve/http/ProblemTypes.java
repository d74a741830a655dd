package org.geopigeon.app.serve.http;

import java.util.Locale;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Problem type URIs. The OGC types are those OGC API - Processes - Part 1 (OGC 18-062r2, clause 7.6,
 * table "exception types") defines; everything else is a GeoPigeon URN whose last part is the
 * lower-case {@code code} (for example {@code urn:geopigeon:problem:invalid-image}).
 */
public final class ProblemTypes {

    private static final String OGC = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/";
    /** 404: the process id in the path is not offered. */
    public static final String NO_SUCH_PROCESS = OGC + "no-such-process";
    /** 404: no job with this id (or not one the caller may see). */
    public static final String NO_SUCH_JOB = OGC + "no-such-job";
    /** 404: the job has not finished yet. */
    public static final String RESULT_NOT_READY = OGC + "result-not-ready";

    private static final String OURS = "urn:geopigeon:problem:";

    private ProblemTypes() {
    }

    /** {@code urn:geopigeon:problem:too-large} for {@code TOO_LARGE}. */
    public static String ours(String code) {
        return OURS + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The HTTP reason phrase, as the problem's title. */
    public static String title(int status) {
        String m = HttpStatus.getMessage(status);
        return m == null || m.isBlank() ? "Error " + status : m;
    }
}
