package io.hookline.support;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineApplication;
import io.hookline.HooklineConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hookline on random loopback ports with a fresh database (a SQLite file, or a PostgreSQL database: see
 * {@link TestDatabases}) and the bundled plugin jars installed, configured from the repository's own
 * {@code config.yml}.
 */
public final class TestApps {
    public static final String ADMIN_KEY = "test-admin-key-0123456789";

    private TestApps() {
    }

    /**
     * @param keyValues configuration overrides as alternating keys and values, e.g.
     *                  {@code "webhooks.minIntervalMs", "100"}; each replaces the default of the same key
     */
    public static DropwizardAppExtension<HooklineConfiguration> app(String... keyValues) {
        return appWithPlugins(List.of(), keyValues);
    }

    /** As {@link #app}, on a clock the test moves (for expiries). */
    public static DropwizardAppExtension<HooklineConfiguration> appWithClock(Clock clock, String... keyValues) {
        DropwizardTestSupport<HooklineConfiguration> support = new DropwizardTestSupport<>(HooklineApplication.class,
                configFile(), overrides(List.of(), keyValues)) {
            @Override
            public Application<HooklineConfiguration> newApplication() {
                return new HooklineApplication(clock);
            }
        };
        return new DropwizardAppExtension<>(support);
    }

    /** As {@link #app}, with more plugin jars installed beside the bundled ones. */
    public static DropwizardAppExtension<HooklineConfiguration> appWithPlugins(List<Path> extraJars,
                                                                               String... keyValues) {
        return new DropwizardAppExtension<>(HooklineApplication.class, configFile(), overrides(extraJars, keyValues));
    }

    private static ConfigOverride[] overrides(List<Path> extraJars, String... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("keys and values must pair up");
        Path dir = tempDir();
        Path plugins = TestPlugins.installBundled(dir.resolve("plugins"));
        TestPlugins.install(plugins, extraJars);
        // One value per key: Dropwizard applies overrides in no fixed order, so a key given twice would win randomly.
        Map<String, String> config = new LinkedHashMap<>();
        config.put("database.path", dir.resolve("hookline.db").toString());
        config.put("server.applicationConnectors[0].port", "0");
        config.put("server.applicationConnectors[0].bindHost", "127.0.0.1");
        config.put("server.adminConnectors[0].port", "0");
        config.put("adminKey", ADMIN_KEY);
        config.put("plugins.directory", plugins.toString());
        config.put("network.allowedNetworks", "127.0.0.0/8,::1/128");
        config.put("logging.level", "WARN");
        for (int i = 0; i < keyValues.length; i += 2) config.put(keyValues[i], keyValues[i + 1]);
        // The engine under test: the SQLite file, or a PostgreSQL database of its own for that file.
        // A test that names database.url itself (a copy's target, or "" for SQLite) keeps it.
        TestDatabases.settings(Path.of(config.get("database.path"))).forEach(config::putIfAbsent);
        return config.entrySet().stream()
                .map(e -> ConfigOverride.config(e.getKey(), e.getValue())).toArray(ConfigOverride[]::new);
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
