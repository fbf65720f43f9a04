package io.hookline;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.core.setup.Environment;
import io.hookline.storage.Migrations;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code java -jar hookline.jar migrate config.yml}: applies pending schema migrations and exits. */
public final class MigrateCommand extends ConfiguredCommand<HooklineConfiguration> {
    public MigrateCommand() {
        super("migrate", "Applies pending database migrations");
    }

    @Override
    protected void run(Bootstrap<HooklineConfiguration> bootstrap, Namespace namespace, HooklineConfiguration config)
            throws Exception {
        Path parent = Path.of(config.getDatabase().getPath()).toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Environment env = new Environment(bootstrap.getApplication().getName(), bootstrap.getObjectMapper(),
                bootstrap.getValidatorFactory(), bootstrap.getMetricRegistry(), bootstrap.getClassLoader(),
                bootstrap.getHealthCheckRegistry(), config);
        Jdbi jdbi = new JdbiFactory().build(env, config.getDatabase().writer(), "sqlite-migrate");
        int applied = Migrations.apply(jdbi);
        System.out.println("Applied " + applied + " migration(s) to " + config.getDatabase().getPath());
    }
}
