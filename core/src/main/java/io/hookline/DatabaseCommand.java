package io.hookline;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.hookline.startup.StartupCommands;
import net.sourceforge.argparse4j.inf.Namespace;

/** A command that works on the configured database without serving; an operator's mistake ends it with one line. */
abstract class DatabaseCommand extends ConfiguredCommand<HooklineConfiguration> {
    private final String failure;

    /** @param failure what failed, the start of the one line printed for an operator's mistake */
    DatabaseCommand(String name, String description, String failure) {
        super(name, description);
        this.failure = failure;
    }

    /** What the database pools need of Dropwizard (metrics, health checks), outside a running server. */
    static Environment environment(Bootstrap<HooklineConfiguration> bootstrap, HooklineConfiguration config) {
        return new Environment(bootstrap.getApplication().getName(), bootstrap.getObjectMapper(),
                bootstrap.getValidatorFactory(), bootstrap.getMetricRegistry(), bootstrap.getClassLoader(),
                bootstrap.getHealthCheckRegistry(), config);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!StartupCommands.printed(cli, e, failure)) super.onError(cli, namespace, e);
    }
}
