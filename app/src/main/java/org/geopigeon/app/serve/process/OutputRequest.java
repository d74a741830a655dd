package org.geopigeon.app.serve.process;

/**
 * How the client wants one output (OGC 18-062r2 clause 7.11.2, {@code output}).
 *
 * @param transmissionMode "value" (the only mode offered: results are returned, not stored as separate
 *                         resources)
 * @param mediaType        requested format, or null
 */
public record OutputRequest(String transmissionMode, String mediaType) {
}
