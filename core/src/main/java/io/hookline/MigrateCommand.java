package io.hookline;

import io.dropwizard.core.setup.Bootstrap;
import io.hookline.config.DatabaseConfig;
import io.hookline.storage.DatabaseLock;
import io.hookline.storage.Databases;
import io.hookline.storage.Dialect;
import io.hookline.storage.Migrations;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;

/** {@code java -jar hookline.jar migrate config.yml}: applies pending schema migrations and exits. */
public final class MigrateCommand extends DatabaseCommand {
    public MigrateCommand() {
        super("migrate", "Applies pending database migrations", "Migration failed");
    }

    @Override
    protected void run(Bootstrap<HooklineConfiguration> bootstrap, Namespace namespace, HooklineConfiguration config)
            throws Exception {
        DatabaseConfig db = config.getDatabase();
        if (db.isPostgresql()) {
            // Nodes sharing the database take the migrations' advisory lock; a running node is no obstacle.
            migrate(bootstrap, config);
            return;
        }
        Databases.createParentDirectory(db.getPath());
        try (DatabaseLock lock = DatabaseLock.acquire(db.getPath())) {
            migrate(bootstrap, config);
        }
    }

    private static void migrate(Bootstrap<HooklineConfiguration> bootstrap, HooklineConfiguration config) {
        DatabaseConfig db = config.getDatabase();
        Dialect dialect = Databases.dialect(db);
        Jdbi jdbi = Databases.connect(db, environment(bootstrap, config), dialect.poolName("migrate"));
        int applied = Databases.migrate(db, jdbi);
        System.out.println("Applied " + applied + " migration(s) to " + Databases.describe(db));
    }
}
