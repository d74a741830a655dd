package org.geopigeon.engine.predict;

import org.geopigeon.engine.geocell.Geocell;

/** A geocell and the head's softmax probability for it; rank 1 is the most probable. */
public record CellProbability(int rank, Geocell cell, double probability) {
}
