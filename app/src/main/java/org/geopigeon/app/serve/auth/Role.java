package org.geopigeon.app.serve.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles of a GeoPigeon account (docs/service.md, "Accounts and roles"). Geolocation is dual use:
 * who may run it, who may browse results and who may read the audit log are kept apart.
 */
public enum Role {
    /** Runs geolocation; sees only their own jobs and stored predictions. */
    ANALYST(EnumSet.of(Permission.EXECUTE, Permission.JOBS, Permission.BROWSE)),
    /** Browses stored predictions and the map layers; cannot run geolocation. */
    VIEWER(EnumSet.of(Permission.BROWSE)),
    /** Reads and verifies the audit log; sees every job and stored prediction; cannot run geolocation. */
    AUDITOR(EnumSet.of(Permission.JOBS, Permission.BROWSE, Permission.AUDIT)),
    /** Everything. */
    ADMIN(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    /** Whether this role grants {@code p} (the table of docs/service.md, "Accounts and roles"). */
    public boolean can(Permission p) {
        return permissions.contains(p);
    }

    /** Sees the jobs and stored predictions of every principal, not only their own. */
    public boolean seesEveryone() {
        return this != ANALYST;
    }

    /** The lower-case name used on the command line, in the database and in the audit log. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted roles */
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.id().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "': use one of "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
