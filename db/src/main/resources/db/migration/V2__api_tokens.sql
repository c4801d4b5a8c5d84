-- Platform API tokens ("flt_<prefix>_<secret>"): opaque bearer tokens a signed-in user creates for
-- themself. Only a salted SHA-256 of the secret is kept; the prefix finds the row. Revoked rows stay
-- (revoked_at set) so that a token's history survives; a name is unique among a user's live tokens.
CREATE TABLE api_tokens (
    id            UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    prefix        TEXT        NOT NULL UNIQUE,
    salt          BYTEA       NOT NULL,
    secret_hash   BYTEA       NOT NULL,
    owner         TEXT        NOT NULL,
    owner_groups  TEXT[]      NOT NULL DEFAULT '{}',
    name          TEXT        NOT NULL,
    -- Scopes: a namespace the token is limited to (NULL: no limit beyond RBAC) and read-only
    -- (get, list and watch only).
    namespace     TEXT,
    read_only     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    CONSTRAINT api_tokens_name_not_empty CHECK (name <> ''),
    CONSTRAINT api_tokens_expiry_within_a_year
        CHECK (expires_at > created_at AND expires_at <= created_at + INTERVAL '1 year')
);

CREATE UNIQUE INDEX api_tokens_owner_name_live ON api_tokens (owner, name) WHERE revoked_at IS NULL;
