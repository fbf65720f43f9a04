package io.hookline.storage;

import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.hookline.HooklineConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** {@code java -jar hookline.jar migrate config.yml}: applies pending schema migrations and exits. */
public final class MigrateCommand extends DatabaseCommand {
    public MigrateCommand() {
        super("migrate", "Applies pending database migrations");
    }

    @Override
    protected void run(Bootstrap<HooklineConfiguration> bootstrap, Namespace namespace, HooklineConfiguration config)
            throws Exception {
        Environment env = environment(bootstrap, config);
        Dialect dialect = Databases.dialect(config.getDatabase());
        int applied = Migrations.apply(Databases.connect(config.getDatabase(), env, dialect.poolName("migrate")),
                dialect);
        System.out.println("Applied " + applied + " migration(s) to " + Databases.describe(config.getDatabase()));
    }
}
