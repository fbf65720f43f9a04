-- PostgreSQL twin of db/migration/V010: times and durations hold microseconds, so they are BIGINT.
-- The details of each delivery attempt, beside the webhook's runs (which keep Pryv's shape): the newest attempts of
-- each webhook, as many as runs keeps, the oldest removed as new ones are recorded.
CREATE TABLE webhook_attempts (
    webhook_id   TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    run_number   BIGINT  NOT NULL,  -- the webhook's run count after this attempt: orders and bounds them
    started      BIGINT  NOT NULL,  -- microseconds since the epoch
    duration     BIGINT  NOT NULL,  -- microseconds
    status       INTEGER NOT NULL,  -- the target's HTTP status, 0 when none
    error        TEXT,              -- why it failed, one word (AttemptError); null on success
    reason       TEXT,
    answer       TEXT,              -- the first 1 KiB of the target's answer
    messages     TEXT    NOT NULL,  -- the messages sent, a JSON array
    delivery_id  TEXT,
    next_attempt BIGINT,            -- when the next attempt is planned, microseconds; null when none is
    PRIMARY KEY (webhook_id, run_number)
);
