package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** One value of a process input in an execute request (OGC 18-062r2 clause 7.11.2, {@code inlineOrRefData}). */
public sealed interface InputValue permits InputValue.Json, InputValue.Binary, InputValue.Reference {

    /** An inline JSON value (string, number, boolean, array or object). */
    record Json(JsonNode value) implements InputValue {
    }

    /**
     * Inline binary data, decoded from base64.
     *
     * @param bytes     the data
     * @param mediaType the declared media type ({@code mediaType} of a qualified value), or null
     */
    record Binary(byte[] bytes, String mediaType) implements InputValue {
    }

    /**
     * A value by reference ({@code {"href": ...}}), fetched only from allowed hosts (see {@link HrefFetcher}).
     *
     * @param href      where the value is
     * @param mediaType the declared media type ({@code type} of the link), or null
     */
    record Reference(URI href, String mediaType) implements InputValue {
    }
}
