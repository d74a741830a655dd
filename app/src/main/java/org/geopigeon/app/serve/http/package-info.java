/**
 * HTTP plumbing around the routes, each piece on Javalin/Jetty rather than hand-written: the front gate
 * ({@code AccessGate}: authentication, limits and refusals from the headers alone, before any body byte is read),
 * problem details (RFC 7807, the exception document of OGC 18-062r2 clause 7.6: {@code Problem}, {@code ProblemTypes},
 * {@code ProblemErrorHandler} for Jetty's own errors), memory bounds for bodies ({@code UploadBudget}), slow-client
 * cut-offs ({@code MinimumUploadRate}, {@code HeaderReadTimeout}) and the Jackson mapper ({@code JsonBodies}). No answer
 * carries a stack trace, SQL or a Java class name.
 */
package org.geopigeon.app.serve.http;
