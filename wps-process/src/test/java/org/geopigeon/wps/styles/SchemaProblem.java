package org.geopigeon.wps.styles;

/** One schema violation, located so a person can jump to it. */
record SchemaProblem(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
