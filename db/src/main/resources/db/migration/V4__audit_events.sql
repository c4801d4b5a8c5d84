-- The API server's audit log: every mutating request and every denied one (401, 403). Written in
-- batches by the API server; an event that was spooled to disk while PostgreSQL was down may be
-- offered twice, so the event's own id (generated once, when the request ends) is the primary key
-- and a repeated insert is ignored. audit_id is the request's Audit-Id, which a client may choose.
CREATE TABLE audit_events (
    id           UUID        PRIMARY KEY,
    audit_id     TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    username     TEXT        NOT NULL,
    user_groups  TEXT[]      NOT NULL DEFAULT '{}',
    impersonated_user TEXT,
    tenant       TEXT,
    verb         TEXT        NOT NULL,
    api_group    TEXT        NOT NULL DEFAULT '',
    resource     TEXT        NOT NULL DEFAULT '',
    subresource  TEXT        NOT NULL DEFAULT '',
    namespace    TEXT        NOT NULL DEFAULT '',
    name         TEXT        NOT NULL DEFAULT '',
    request_uri  TEXT        NOT NULL DEFAULT '',
    code         INTEGER     NOT NULL,
    user_agent   TEXT        NOT NULL DEFAULT '',
    source_ip    TEXT        NOT NULL DEFAULT ''
);

-- Lists read newest first within a namespace or across all; retention deletes by time.
CREATE INDEX audit_events_time ON audit_events (received_at DESC, id DESC);
CREATE INDEX audit_events_namespace_time ON audit_events (namespace, received_at DESC, id DESC);
CREATE INDEX audit_events_user_time ON audit_events (username, received_at DESC);
