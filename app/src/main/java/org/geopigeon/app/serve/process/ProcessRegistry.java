package org.geopigeon.app.serve.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The processes this server offers, in listing order. */
public final class ProcessRegistry {

    private final Map<String, OgcProcess> processes = new LinkedHashMap<>();

    public ProcessRegistry(List<OgcProcess> offered) {
        for (OgcProcess p : offered) {
            if (processes.put(p.spec().id(), p) != null) {
                throw new IllegalArgumentException("two processes with id " + p.spec().id());
            }
        }
    }

    /** The process with this id; empty for an unknown id (answered 404 no-such-process). */
    public Optional<OgcProcess> find(String id) {
        return Optional.ofNullable(processes.get(id));
    }

    /** Every offered process, in registration order; an immutable copy. */
    public List<OgcProcess> all() {
        return List.copyOf(processes.values());
    }
}
