package org.geopigeon.app.serve.auth;

import java.time.OffsetDateTime;

/**
 * One API token as stored (never the token itself, only its SHA-256).
 *
 * @param id        database id
 * @param name      the principal the token stands for (unique among active tokens)
 * @param role      what it may do
 * @param prefix    the first characters of the token, to tell tokens apart in listings
 * @param created   when it was created
 * @param createdBy operating-system user who ran {@code geopigeon token create}
 * @param revoked   when it was revoked, or null while active
 * @param revokedBy who revoked it, or null
 */
public record TokenInfo(long id, String name, Role role, String prefix, OffsetDateTime created, String createdBy,
                        OffsetDateTime revoked, String revokedBy) {

    /** True while the token is not revoked ({@code revoked} is null): only active tokens authenticate. */
    public boolean active() {
        return revoked == null;
    }
}
