-- Web apps' sign-in requests (the pryv library's access request flow). Kept in the database until they expire, so
-- that a request survives a restart and any node sharing the database can answer its poll.
CREATE TABLE access_requests (
    request_key TEXT    NOT NULL PRIMARY KEY,
    asked       TEXT    NOT NULL,  -- the app's request, normalised JSON
    expires_at  INTEGER NOT NULL,  -- microseconds since the epoch
    outcome     TEXT               -- NULL while the user has not answered; then the poll's answer
);
CREATE INDEX access_requests_expiry ON access_requests (expires_at);
