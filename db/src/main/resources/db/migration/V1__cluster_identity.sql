-- The cluster this database belongs to. One row, created by the first control-plane server that
-- migrates the schema; every later start sees the same id, which is how operators (and the tests)
-- tell that platform data survived a restart.
CREATE TABLE cluster_identity (
    singleton  BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    cluster_id UUID        NOT NULL DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO cluster_identity DEFAULT VALUES;
