package io.hookline.startup;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

import java.util.Optional;

/**
 * Dropwizard's {@code server} and {@code check} commands, printing an operator's mistake as one line
 * ({@link OneLineErrors}) instead of a stack trace.
 */
public final class StartupCommands {
    private StartupCommands() {
    }

    public static <T extends Configuration> ServerCommand<T> server(Application<T> app) {
        return new ServerCommand<>(app) {
            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                // The process exits right after: stopping a half-started server is not needed for a clean exit.
                if (!printed(cli, e, "Hookline cannot start")) super.onError(cli, namespace, e);
            }
        };
    }

    /**
     * {@code check}: parses and validates the configuration, then runs {@code checks} (what the server verifies
     * before serving).
     */
    public static <T extends Configuration> CheckCommand<T> check(Application<T> app, Checks<T> checks) {
        return new CheckCommand<>(app) {
            @Override
            protected void run(io.dropwizard.core.setup.Bootstrap<T> bootstrap, Namespace namespace, T configuration)
                    throws Exception {
                for (String line : checks.run(configuration)) System.out.println(line);
                super.run(bootstrap, namespace, configuration);
                System.out.println("configuration is valid and every check passed: the server would start");
            }

            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                if (!printed(cli, e, "Hookline would not start")) super.onError(cli, namespace, e);
            }
        };
    }

    /** What the {@code check} command verifies beyond the configuration file; returns lines to print. */
    @FunctionalInterface
    public interface Checks<T> {
        java.util.List<String> run(T configuration) throws Exception;
    }

    /**
     * Prints {@code e} as one line, after {@code what} failed, when it is an operator's mistake; returns whether it
     * did.
     */
    public static boolean printed(Cli cli, Throwable e, String what) {
        Optional<String> line = OneLineErrors.describe(e);
        line.ifPresent(l -> {
            cli.getStdErr().println(what + ": " + l);
            cli.getStdErr().flush();
        });
        return line.isPresent();
    }
}
