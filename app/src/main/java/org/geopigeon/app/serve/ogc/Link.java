package org.geopigeon.app.serve.ogc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A web link (RFC 8288) as OGC API documents carry them (schema {@code link.yaml}).
 *
 * @param href  absolute URL
 * @param rel   relation type (IANA name or OGC URI, see {@link Rels})
 * @param type  media type of the target, or null
 * @param title human-readable title, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Link(String href, String rel, String type, String title) {
}
