package io.hookline.support;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineApplication;
import io.hookline.HooklineConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hookline on random loopback ports with a fresh SQLite file and the bundled plugin jars installed, configured
 * from the repository's own {@code config.yml}.
 */
public final class TestApps {
    public static final String ADMIN_KEY = "test-admin-key-0123456789";

    private TestApps() {
    }

    public static DropwizardAppExtension<HooklineConfiguration> app(ConfigOverride... extra) {
        return appWithPlugins(List.of(), extra);
    }

    /** As {@link #app}, with more plugin jars installed beside the bundled ones. */
    public static DropwizardAppExtension<HooklineConfiguration> appWithPlugins(List<Path> extraJars,
                                                                               ConfigOverride... extra) {
        Path dir = tempDir();
        Path plugins = TestPlugins.installBundled(dir.resolve("plugins"));
        TestPlugins.install(plugins, extraJars);
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.path", dir.resolve("hookline.db").toString()),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("adminKey", ADMIN_KEY),
                ConfigOverride.config("plugins.directory", plugins.toString()),
                ConfigOverride.config("network.allowedNetworks", "127.0.0.0/8,::1/128"),
                ConfigOverride.config("logging.level", "WARN")));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(HooklineApplication.class, configFile(),
                overrides.toArray(ConfigOverride[]::new));
    }

    /** The repository's {@code config.yml}. */
    public static String configFile() {
        Path p = Path.of("../config.yml");
        if (!Files.exists(p)) p = Path.of("config.yml");
        return p.toAbsolutePath().toString();
    }

    public static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("hookline-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApiClient client(DropwizardAppExtension<HooklineConfiguration> app) {
        return new ApiClient("http://127.0.0.1:" + app.getLocalPort());
    }
}
