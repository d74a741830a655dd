-- GeoPigeon schema, part 10: API tokens of the standalone service (geopigeon serve, docs/service.md).
-- Only the SHA-256 of each token is stored (a token is 256 random bits: a leak of this table gives no
-- usable token). Tokens are revoked, never deleted, so the table keeps who could act when.
-- Managed with `geopigeon token create|revoke|list` under the schema owner's login; the application
-- role only reads it.

CREATE TABLE IF NOT EXISTS geopigeon.api_tokens (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),  -- the principal
    role         text        NOT NULL CHECK (role IN ('analyst', 'viewer', 'auditor', 'admin')),
    token_sha256 bytea       NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    token_prefix text        NOT NULL,                  -- first characters, to tell tokens apart in listings
    created      timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    revoked      timestamptz,
    revoked_by   text,
    CHECK ((revoked IS NULL) = (revoked_by IS NULL))
);
-- One active token per principal; a revoked name may be issued again.
CREATE UNIQUE INDEX IF NOT EXISTS api_tokens_active_name ON geopigeon.api_tokens (name) WHERE revoked IS NULL;

GRANT SELECT ON geopigeon.api_tokens TO geopigeon_app;
