package io.hookline.storage;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.hookline.HooklineConfiguration;
import io.hookline.config.BadSetting;
import net.sourceforge.argparse4j.inf.Namespace;

/** A command that works on the configured database without serving; a bad setting ends it with one line. */
abstract class DatabaseCommand extends ConfiguredCommand<HooklineConfiguration> {
    DatabaseCommand(String name, String description) {
        super(name, description);
    }

    /** What the database pools need of Dropwizard (metrics, health checks), outside a running server. */
    static Environment environment(Bootstrap<HooklineConfiguration> bootstrap, HooklineConfiguration config) {
        return new Environment(bootstrap.getApplication().getName(), bootstrap.getObjectMapper(),
                bootstrap.getValidatorFactory(), bootstrap.getMetricRegistry(), bootstrap.getClassLoader(),
                bootstrap.getHealthCheckRegistry(), config);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!BadSetting.reported(cli.getStdErr(), e)) super.onError(cli, namespace, e);
    }
}
