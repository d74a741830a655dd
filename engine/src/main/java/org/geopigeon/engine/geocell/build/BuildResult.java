package org.geopigeon.engine.geocell.build;

import org.geopigeon.engine.geocell.GeocellSet;

/** The built geocells and the report of the run. */
public record BuildResult(GeocellSet cells, BuildReport report) {
}
