package io.hookline.bench;

import java.sql.SQLException;

/**
 * Where the servers of one pass keep their data: each in its own SQLite file (the default), or each in a fresh
 * database on one PostgreSQL server. The same scenario code runs on both, so that a figure on PostgreSQL can be shown
 * beside the same figure on SQLite measured in the same run.
 */
final class Engine {
    static final Engine SQLITE = new Engine(null);

    private final PostgresDatabases databases;

    private Engine(PostgresDatabases databases) {
        this.databases = databases;
    }

    static Engine postgres(PostgresDatabases databases) {
        return new Engine(databases);
    }

    boolean isPostgres() {
        return databases != null;
    }

    /**
     * The options of a server started on this engine: on PostgreSQL, on a fresh database of its own unless the
     * options already name one, and under a name of its own (its folder and log are not the SQLite server's).
     */
    HooklineProcess.Options place(HooklineProcess.Options o) throws SQLException {
        if (!isPostgres() || o.dbUrl() != null) return o;
        return o.named(tag(o.name())).onPostgres(databases.fresh(o.name()));
    }

    /** A name for what this pass writes (server folders, profiles): as given on SQLite, prefixed on PostgreSQL. */
    String tag(String name) {
        return isPostgres() ? "pg-" + name : name;
    }
}
