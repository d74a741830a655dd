package org.geopigeon.app;

/**
 * A JVM system property set for part of a test: {@link #close()} puts back the value it had before (or removes it
 * when it had none), so tests that run commands under a setting leave the JVM as they found it.
 */
final class SystemProperty implements AutoCloseable {

    private final String name;
    private final String old;

    private SystemProperty(String name, String value) {
        this.name = name;
        this.old = System.getProperty(name);
        System.setProperty(name, value);
    }

    /** Sets {@code name} to {@code value} until the returned handle is closed. */
    static SystemProperty set(String name, String value) {
        return new SystemProperty(name, value);
    }

    @Override
    public void close() {
        if (old == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, old);
        }
    }
}
