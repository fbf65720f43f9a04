-- Counters of what nodes keep in memory (see db/migration-postgresql/V012). One process on SQLite learns of its own
-- changes directly and never reads them; the table keeps both schemas alike.
CREATE TABLE generations (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
);
