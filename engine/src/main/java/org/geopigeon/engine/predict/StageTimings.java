package org.geopigeon.engine.predict;

/** Wall time per pipeline stage in milliseconds (decode is 0 when the caller decoded the image). */
public record StageTimings(double decodeMs, double preprocessMs, double backboneMs, double headMs, double refineMs) {

    /** Sum of the stage times in ms. */
    public double totalMs() {
        return decodeMs + preprocessMs + backboneMs + headMs + refineMs;
    }

    /** The same timings with the decode time, in ms, the caller measured. */
    public StageTimings withDecodeMs(double ms) {
        return new StageTimings(ms, preprocessMs, backboneMs, headMs, refineMs);
    }
}
