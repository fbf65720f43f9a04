package io.hookline;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.hookline.config.BadSetting;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's {@code server} command, printing a bad setting as its one line instead of a stack trace. */
final class ServeCommand extends ServerCommand<HooklineConfiguration> {
    ServeCommand(Application<HooklineConfiguration> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!BadSetting.reported(cli.getStdErr(), e)) super.onError(cli, namespace, e);
    }
}
