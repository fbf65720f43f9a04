package io.hookline.config;

import io.dropwizard.configuration.ConfigurationException;

import java.io.PrintWriter;

/**
 * A setting that keeps Hookline from starting. Its message names the setting (and its environment variable) and says
 * what is wrong in one line; the commands print it alone, without a stack trace.
 */
public final class BadSetting extends RuntimeException {
    public BadSetting(String message) {
        super(message);
    }

    /**
     * Prints the message of the bad setting behind {@code e} (itself or a cause) alone, or that of a configuration
     * file Dropwizard refused (it names the field); false when there is none.
     */
    public static boolean reported(PrintWriter err, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadSetting || t instanceof ConfigurationException) {
                err.println(t.getMessage().strip());
                err.flush();
                return true;
            }
        }
        return false;
    }
}
