package io.hookline.startup;

import io.dropwizard.configuration.ConfigurationException;

import java.net.BindException;
import java.util.Optional;

/**
 * Turns the failures an operator meets at start-up (a setting, a path, a port) into one line saying what to do.
 * Anything else is a bug and keeps its stack trace.
 */
public final class OneLineErrors {
    private OneLineErrors() {
    }

    /** The line to print for {@code e}, or empty when it is not an operator's mistake. */
    public static Optional<String> describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupFailure f) return Optional.of(f.getMessage());
            if (t instanceof ConfigurationException c) return Optional.of(c.getMessage().strip());
            if (t instanceof BindException) return Optional.of(bindFailure(e));
        }
        return Optional.empty();
    }

    /** Jetty says "Failed to bind to host:port" above the BindException: keep that address. */
    private static String bindFailure(Throwable e) {
        String where = null;
        for (Throwable t = e; t != null && where == null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.startsWith("Failed to bind to ")) where = m.substring("Failed to bind to ".length());
        }
        return "cannot listen on " + (where != null ? where : "a configured port")
                + ": the port is in use by another process; stop it, or choose another port "
                + "(HOOKLINE_PORT, HOOKLINE_ADMIN_PORT)";
    }
}
