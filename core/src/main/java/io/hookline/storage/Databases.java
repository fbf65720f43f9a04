package io.hookline.storage;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.hookline.config.DatabaseConfig;
import io.hookline.startup.StartupFailure;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the configured database, whichever the engine: checks it can be reached, migrates it, builds its writer. */
public final class Databases {
    /** Writes queued for the writer before the next caller waits for room: absorbs a burst, bounds memory. */
    private static final int WRITE_QUEUE = 10_000;

    private Databases() {
    }

    public static Dialect dialect(DatabaseConfig config) {
        return config.isPostgresql() ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    /** The database of the service: pools, migrated schema, and a writer managed by the environment's lifecycle. */
    public static Database open(DatabaseConfig config, Environment env, Clock clock) {
        Dialect dialect = dialect(config);
        Jdbi writerJdbi = connect(config, env, dialect.poolName("writer"));
        if (dialect == Dialect.POSTGRESQL) PostgresCheck.open(config, writerJdbi);
        migrate(config, writerJdbi);
        Jdbi readerJdbi = dialect.install(new JdbiFactory().build(env, config.readers(), dialect.poolName("readers")));
        ChangeClock changes = new ChangeClock(clock);
        if (dialect == Dialect.POSTGRESQL) {
            PostgresCheck.open(config, readerJdbi);
            writerJdbi.useHandle(PostgresClock::requireActivityTracking);
            changes.shareThrough(() -> readerJdbi.withHandle(PostgresClock::read));
        }
        Writer writer = dialect == Dialect.POSTGRESQL
                ? new PostgresWriter(writerJdbi, changes, config.getWriters(), config.getMaxWriteGroup(), WRITE_QUEUE)
                : new GroupWriter(writerJdbi, changes, config.getMaxWriteGroup(), WRITE_QUEUE);
        writer.counts().register(env.metrics());
        env.lifecycle().manage(writer);
        return new Database(readerJdbi, writer, changes, dialect);
    }

    /** A pool of writer connections to the configured database, once it is known to be reachable. */
    public static Jdbi connect(DatabaseConfig config, Environment env, String poolName) {
        Dialect dialect = dialect(config);
        if (dialect == Dialect.POSTGRESQL) {
            PostgresCheck.reachable(config);
        } else {
            createParentDirectory(config.getPath());
        }
        return dialect.install(new JdbiFactory().build(env, config.writer(), poolName));
    }

    /** The configured PostgreSQL database without a pool, for a command that only looks at it. */
    public static Jdbi direct(DatabaseConfig config) {
        PostgresCheck.reachable(config);
        return Dialect.POSTGRESQL.install(Jdbi.create(config.getUrl(), PostgresCheck.login(config)));
    }

    /**
     * A connection of its own to the configured PostgreSQL database, outside the pools, for a session that lasts
     * (listening, session locks). Autocommit.
     */
    public static java.sql.Connection dedicated(DatabaseConfig config, String applicationName)
            throws java.sql.SQLException {
        java.util.Properties props = PostgresCheck.login(config);
        props.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(config.getUrl(), props);
    }

    /**
     * Applies pending migrations; a SQLite file that cannot be used, or a PostgreSQL login that may not create the
     * tables, is one line for the operator.
     */
    public static int migrate(DatabaseConfig config, Jdbi jdbi) {
        try {
            return Migrations.apply(jdbi, dialect(config));
        } catch (RuntimeException e) {
            if (config.isPostgresql()) throw PostgresCheck.migrationFailure(config, e);
            throw OpenFailures.of(config.getPath(), e);
        }
    }

    /** Where the database is, for operators' messages (never the URL: it may hold a password). */
    public static String describe(DatabaseConfig config) {
        if (!config.isPostgresql()) return "SQLite at " + Path.of(config.getPath()).toAbsolutePath();
        String where = PostgresCheck.where(config);
        return where == null ? "PostgreSQL" : where;
    }

    public static void createParentDirectory(String dbPath) {
        Path parent = Path.of(dbPath).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StartupFailure("database.path " + dbPath + ": cannot create its folder " + parent + " (" + e
                    + "); create it, or choose another path (HOOKLINE_DB)", e);
        }
    }
}
