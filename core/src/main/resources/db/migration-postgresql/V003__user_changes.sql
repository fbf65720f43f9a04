-- PostgreSQL twin of db/migration/V003: when each kind of change last happened for a user (see there).
CREATE TABLE user_changes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message   TEXT   NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (user_id, message)
);
