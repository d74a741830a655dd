package org.geopigeon.app.serve.auth;

import io.javalin.security.RouteRole;

/**
 * What a route needs; {@link Role} says which roles hold it. Also a Javalin route role, so each route
 * declares its permission where it is registered.
 */
public enum Permission implements RouteRole {
    /** Run processes (geolocate), see one's own jobs and stored predictions. */
    EXECUTE,
    /** See one's own jobs (analyst) or all of them (auditor, admin). */
    JOBS,
    /** Browse stored predictions: all of them (viewer, auditor, admin) or one's own (analyst). */
    BROWSE,
    /** Read and verify the audit log. */
    AUDIT
}
