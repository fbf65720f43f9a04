package io.hookline;

import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.hookline.startup.StartupFailure;
import io.hookline.config.DatabaseConfig;
import io.hookline.storage.DatabaseLock;
import io.hookline.storage.Databases;
import io.hookline.storage.Dialect;
import io.hookline.storage.Migrations;
import io.hookline.storage.PostgresCheck;
import io.hookline.storage.SqliteToPostgres;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar hookline.jar copy config.yml}: copies the SQLite database at {@code database.path} into the empty
 * PostgreSQL database at {@code database.url}, then prints each table's row count. The SQLite file is only read: it
 * stays the way back.
 */
public final class CopyCommand extends DatabaseCommand {
    public CopyCommand() {
        super("copy", "Copies the SQLite database (database.path) into an empty PostgreSQL one (database.url)",
                "Copy failed");
    }

    @Override
    protected void run(Bootstrap<HooklineConfiguration> bootstrap, Namespace namespace, HooklineConfiguration config)
            throws Exception {
        DatabaseConfig db = config.getDatabase();
        if (!db.isPostgresql()) {
            throw new StartupFailure(PostgresCheck.URL + ": set it to the PostgreSQL database to copy into");
        }
        if (!Files.isRegularFile(Path.of(db.getPath()))) {
            throw new StartupFailure("database.path (HOOKLINE_DB): no SQLite database at " + db.getPath());
        }
        Environment env = environment(bootstrap, config);
        List<SqliteToPostgres.Copied> copied;
        // No SQLite server may write the source while it is read.
        try (DatabaseLock lock = DatabaseLock.acquire(db.getPath())) {
            // The source is brought to the current schema version too, as a server started on it would do.
            Jdbi sqlite = Dialect.SQLITE.install(Jdbi.create("jdbc:sqlite:" + db.getPath()));
            Migrations.apply(sqlite, Dialect.SQLITE);
            Jdbi postgres = Databases.connect(db, env, Dialect.POSTGRESQL.poolName("copy"));
            Migrations.apply(postgres, Dialect.POSTGRESQL);
            try {
                copied = SqliteToPostgres.copy(sqlite, postgres);
            } catch (IllegalStateException e) {
                throw new StartupFailure("copy refused: " + e.getMessage());
            }
        }
        System.out.println("Copied " + Path.of(db.getPath()).toAbsolutePath() + " into " + Databases.describe(db) + ":");
        long total = 0;
        for (SqliteToPostgres.Copied c : copied) {
            System.out.printf("  %-20s %,12d rows%n", c.table(), c.rows());
            total += c.rows();
        }
        System.out.printf("%,d rows in %d tables; every count matches. The SQLite file is unchanged: keep it to go "
                + "back.%n", total, copied.size());
    }
}
