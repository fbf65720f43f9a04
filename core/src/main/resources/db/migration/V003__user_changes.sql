-- When each kind of change last happened for a user. A change used to restamp the pending row of every active webhook
-- of the user (one write per webhook and change); now it writes one row here, and a webhook's pending row is only
-- inserted when the webhook had nothing pending. A delivered message is removed only if it did not happen again
-- since it was read: its time is the later of this row's and the pending row's own last_seen.
CREATE TABLE user_changes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message   TEXT    NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (user_id, message)
) WITHOUT ROWID;
