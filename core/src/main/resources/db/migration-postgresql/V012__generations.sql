-- Counters of what nodes keep in memory: a write that deletes such a thing (accesses) adds one to its counter in the
-- same transaction, and every node compares the count it last read with the count its copy was made at (see
-- io.hookline.storage.Generations). A row appears with the first change.
CREATE TABLE generations (
    name  TEXT   NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
