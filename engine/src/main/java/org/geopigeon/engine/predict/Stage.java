package org.geopigeon.engine.predict;

/** Pipeline stages in order, for progress reporting. */
public enum Stage {
    DECODE, PREPROCESS, BACKBONE, HEAD, REFINE, DONE
}
