package org.geopigeon.service.testing;

/** One schema violation, located so a person can jump to it. */
public record SchemaProblem(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
