package io.hookline.support;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.startup.StartupFailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Servers that must refuse to start: the one line an operator would read. */
public final class Startups {
    private Startups() {
    }

    /** Starts {@code app}, expecting a refusal; returns its one-line message. */
    public static String refusal(DropwizardAppExtension<HooklineConfiguration> app) {
        Throwable thrown = catchThrowable(app::before);
        try {
            app.after();
        } catch (RuntimeException ignored) {
            // nothing was started
        }
        assertThat(thrown).as("the server should have refused to start").isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof StartupFailure f) {
                assertThat(f.getMessage()).as("one line").doesNotContain("\n");
                return f.getMessage();
            }
        }
        throw new AssertionError("refused without an operator's message", thrown);
    }
}
