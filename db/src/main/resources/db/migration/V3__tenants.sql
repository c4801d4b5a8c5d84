-- API objects kept in PostgreSQL instead of etcd (the tenancy.flotilla.dev Tenants), behind the API
-- server's ObjectStore interface (backend/platform PostgresObjectStore). The model copies etcd's:
-- one cluster-wide revision counter, bumped by every write; each object carries the revision of its
-- last write (its resourceVersion) and of its create; every write is also appended to a log so that
-- reads at an old revision, paged lists at one snapshot and watches from a revision work as on etcd.
CREATE TABLE platform_revision (
    id                  SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    -- The revision of the latest write. Writers take this row's lock first, so writes commit in
    -- revision order and a reader that has seen revision R never later finds a write below R.
    revision            BIGINT   NOT NULL,
    -- Reads and watches below this revision fail as compacted (Kubernetes 410 Gone).
    compacted_revision  BIGINT   NOT NULL DEFAULT 0
);
INSERT INTO platform_revision (id, revision) VALUES (1, 0);

CREATE TABLE platform_objects (
    key              TEXT   PRIMARY KEY COLLATE "C",
    value            BYTEA  NOT NULL,
    mod_revision     BIGINT NOT NULL,
    create_revision  BIGINT NOT NULL
);

-- One row per write: the state after it (value NULL for a delete).
CREATE TABLE platform_object_log (
    revision         BIGINT PRIMARY KEY,
    key              TEXT   NOT NULL COLLATE "C",
    value            BYTEA,
    create_revision  BIGINT NOT NULL
);
CREATE INDEX platform_object_log_key ON platform_object_log (key, revision);
