package io.hookline.startup;

import io.hookline.support.HooklineProcess;
import io.hookline.support.TestApps;
import io.hookline.support.TestPlugins;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} runs what the server verifies before serving; what an operator can fix reads as one line. */
class CheckCommandTest {
    @Test
    void checkReportsWhatTheServerWouldFindAndRefusesWhatItWouldRefuse() throws Exception {
        Path dir = TestApps.tempDir();
        Path plugins = TestPlugins.installBundled(dir.resolve("plugins"));
        Map<String, String> base = Map.of("database.path", dir.resolve("hookline.db").toString(),
                "plugins.directory", plugins.toString(), "logging.level", "WARN");

        HooklineProcess.Result ok = HooklineProcess.run(Duration.ofSeconds(120), base, "check", TestApps.configFile());
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("does not exist yet").contains("types [").contains("configuration is valid");

        Map<String, String> tooMany = new java.util.HashMap<>(base);
        tooMany.put("webhooks.maxInFlightPerHost", "2000");
        HooklineProcess.Result refused = HooklineProcess.run(Duration.ofSeconds(120), tooMany, "check",
                TestApps.configFile());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("maxInFlightPerHost must not be above maxInFlight")
                .doesNotContain("\tat ");
    }

    @Test
    void aPortInUseIsNamed() {
        IOException jetty = new IOException("Failed to bind to 0.0.0.0/0.0.0.0:8080",
                new BindException("Address already in use"));
        assertThat(OneLineErrors.describe(new RuntimeException(jetty))).hasValueSatisfying(line ->
                assertThat(line).contains("0.0.0.0/0.0.0.0:8080").contains("in use").contains("HOOKLINE_PORT"));
        assertThat(OneLineErrors.describe(new IllegalStateException("a bug"))).isEmpty();
    }
}
