package org.geopigeon.app.serve.process;

/** The {@code response} member of an execute request (OGC 18-062r2 clause 7.11.2; default raw). */
public enum ResponseMode {
    /** The outputs themselves: one output as its own media type, several as {@code multipart/related}. */
    RAW,
    /** A JSON results document mapping each output id to its value. */
    DOCUMENT
}
