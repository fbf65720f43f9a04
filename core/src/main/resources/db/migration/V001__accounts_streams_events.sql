-- Accounts, accesses, streams and events. Times of changes are integer microseconds since the epoch;
-- event time and duration are the user's own values, in float seconds as on the wire.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT,
    created       INTEGER NOT NULL
);

CREATE TABLE accesses (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token       TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    device_name TEXT,
    permissions TEXT    NOT NULL,
    client_data TEXT,
    expires     INTEGER,
    created     INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    modified    INTEGER NOT NULL,
    modified_by TEXT    NOT NULL
);
CREATE INDEX accesses_user ON accesses (user_id, created_by);
CREATE UNIQUE INDEX accesses_unique_name ON accesses (user_id, type, name, COALESCE(device_name, ''));

CREATE TABLE streams (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    parent_id   TEXT,
    client_data TEXT,
    trashed     INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    modified    INTEGER NOT NULL,
    modified_by TEXT    NOT NULL,
    PRIMARY KEY (user_id, id)
);
CREATE UNIQUE INDEX streams_sibling_name ON streams (user_id, COALESCE(parent_id, ''), name);

CREATE TABLE stream_deletions (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id      TEXT    NOT NULL,
    deleted INTEGER NOT NULL
);
CREATE INDEX stream_deletions_user ON stream_deletions (user_id, deleted);

-- A deleted event stays as a tombstone (deleted set, data cleared) so that a sync can learn of its deletion.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id          TEXT    NOT NULL,
    stream_ids  TEXT    NOT NULL,
    type        TEXT,
    content     TEXT,
    time        REAL,
    duration    REAL,
    description TEXT,
    client_data TEXT,
    trashed     INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    modified    INTEGER NOT NULL,
    modified_by TEXT    NOT NULL,
    deleted     INTEGER
);
CREATE UNIQUE INDEX events_user_id ON events (user_id, id);
CREATE INDEX events_user_time ON events (user_id, time);
CREATE INDEX events_user_modified ON events (user_id, modified);

CREATE TABLE event_streams (
    event_seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    stream_id TEXT    NOT NULL,
    PRIMARY KEY (event_seq, stream_id)
);
CREATE INDEX event_streams_stream ON event_streams (user_id, stream_id);
