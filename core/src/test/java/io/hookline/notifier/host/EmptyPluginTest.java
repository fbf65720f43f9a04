package io.hookline.notifier.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.notifier.testkit.PluginJars;
import io.hookline.support.ApiClient;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin jar whose notifier lacks {@code @Extension} loads but delivers no type: a packaging mistake that health
 * reports (naming the plugin) instead of saying all is well; the bundled types keep working.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EmptyPluginTest {
    private static final String SOURCE = """
            package test.empty;
            import io.hookline.notifier.*;
            public class Forgotten implements Notifier {
                public String type() { return "forgotten"; }
                public DeliveryOutcome deliver(Notification n) { return DeliveryOutcome.delivered(200); }
            }
            """;

    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.appWithPlugins(List.of(jar()));

    private static Path jar() {
        try {
            return PluginJars.build(TestApps.tempDir(), "forgotten-extension", "test.empty.Forgotten", SOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPluginThatDeliversNoTypeFailsHealthAndIsListedWithoutTypes() {
        ApiClient admin = new ApiClient("http://127.0.0.1:" + APP.getAdminPort());
        JsonNode plugins = admin.get("/healthcheck", null).body().path("plugins");
        assertThat(plugins.path("healthy").asBoolean()).as(plugins.toString()).isFalse();
        assertThat(plugins.path("message").asText()).contains("forgotten-extension").contains("@org.pf4j.Extension");

        ApiClient api = TestApps.client(APP);
        JsonNode listed = api.sendWithHeaders("GET", "/system/notifiers", Map.of("Authorization", TestApps.ADMIN_KEY),
                null).body().path("notifiers");
        JsonNode forgotten = null;
        for (JsonNode n : listed) if (n.path("id").asText().equals("forgotten-extension")) forgotten = n;
        assertThat(forgotten).as(listed.toString()).isNotNull();
        assertThat(forgotten.path("types")).isEmpty();
        assertThat(api.sendWithHeaders("GET", "/system/notifiers", Map.of("Authorization", TestApps.ADMIN_KEY), null)
                .body().toString()).contains("\"http\"");
    }
}
