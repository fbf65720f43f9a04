-- Webhooks and their pending notifications (the transactional outbox).
CREATE TABLE webhooks (
    id              TEXT    NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    access_id       TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    settings        TEXT    NOT NULL,
    min_interval_ms INTEGER NOT NULL,
    max_retries     INTEGER NOT NULL,
    current_retries INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL,
    run_count       INTEGER NOT NULL DEFAULT 0,
    fail_count      INTEGER NOT NULL DEFAULT 0,
    last_run_status INTEGER NOT NULL DEFAULT 0,
    last_run_time   INTEGER NOT NULL DEFAULT 0,
    runs            TEXT    NOT NULL DEFAULT '[]',
    -- when the next delivery may start (throttle and backoff survive restarts), microseconds
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    -- the id of the notification being retried (Standard Webhooks webhook-id), null when none is
    delivery_id     TEXT,
    created         INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    modified        INTEGER NOT NULL,
    modified_by     TEXT    NOT NULL
);
CREATE UNIQUE INDEX webhooks_access_url ON webhooks (access_id, url);
CREATE INDEX webhooks_user_state ON webhooks (user_id, state);

-- One row per (webhook, message name): the pending set is bounded whatever the change rate.
-- last_seen tells a finished delivery whether the same message arrived again while it was in flight.
CREATE TABLE webhook_pending (
    webhook_id TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message    TEXT    NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, message)
);
CREATE INDEX webhook_pending_first_seen ON webhook_pending (first_seen);
