package io.hookline.storage;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.hookline.config.DatabaseConfig;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the configured database, whichever the engine: checks it can be reached, migrates it, builds its writer. */
public final class Databases {
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
        Migrations.apply(writerJdbi, dialect);
        Jdbi readerJdbi = dialect.install(new JdbiFactory().build(env, config.readers(), dialect.poolName("readers")));
        ChangeClock changes = new ChangeClock(clock);
        Writer writer = dialect == Dialect.POSTGRESQL
                ? new PostgresWriter(writerJdbi, changes, config.getWriters(), WRITE_QUEUE)
                : new GroupWriter(writerJdbi, changes, config.getMaxWriteGroup(), WRITE_QUEUE);
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

    /** Where the database is, for operators' messages (never the URL: it may hold a password). */
    public static String describe(DatabaseConfig config) {
        if (!config.isPostgresql()) return config.getPath();
        String where = PostgresCheck.where(config);
        return where == null ? "PostgreSQL" : where;
    }

    static void createParentDirectory(String dbPath) {
        Path parent = Path.of(dbPath).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the database directory " + parent, e);
        }
    }
}
