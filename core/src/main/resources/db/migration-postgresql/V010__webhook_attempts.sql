-- PostgreSQL twin of db/migration/V010: the details of each delivery attempt; times are microseconds, so BIGINT.
CREATE TABLE webhook_attempts (
    webhook_id   TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    run_number   BIGINT  NOT NULL,
    started      BIGINT  NOT NULL,
    duration     BIGINT  NOT NULL,
    status       INTEGER NOT NULL,
    error        TEXT,
    reason       TEXT,
    answer       TEXT,
    messages     TEXT    NOT NULL,
    delivery_id  TEXT,
    next_attempt BIGINT,
    PRIMARY KEY (webhook_id, run_number)
);
