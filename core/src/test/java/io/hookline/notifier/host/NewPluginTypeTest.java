package io.hookline.notifier.host;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin built from the integrators' guide (plugins/README.md; built with Maven by the test kit's
 * TemplatePluginBuildIT earlier in the same build) installs beside the bundled ones and delivers webhooks of its
 * new type.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class NewPluginTypeTest {
    static final Path TEMPLATE_JAR = Path.of("../plugins/testkit/target/template-plugin/hookline-plugin-echo-1.0.0.jar");

    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.appWithPlugins(List.of(templateJar()));

    private static Path templateJar() {
        if (!Files.isRegularFile(TEMPLATE_JAR)) {
            throw new IllegalStateException(TEMPLATE_JAR + " is missing: it is built by the test kit's "
                    + "TemplatePluginBuildIT; run `mvn install` from the repository root");
        }
        return TEMPLATE_JAR;
    }

    @Test
    void aWebhookOfTheNewTypeIsDelivered() {
        ApiClient api = TestApps.client(APP);
        try (Receiver receiver = new Receiver()) {
            ApiClient.Reply notifiers = api.get("/system/notifiers", TestApps.ADMIN_KEY);
            assertThat(notifiers.body().path("notifiers").findValuesAsText("id")).contains("template-echo", "http");

            ApiClient.User u = api.createUser("echo-user");
            api.post("/echo-user/streams", u.token(), Map.of("id", "s", "name", "S"));
            String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                    "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
            ApiClient.Reply created = api.post("/echo-user/webhooks", app, Map.of("url", receiver.url(),
                    "type", "template-echo", "settings", Map.of("tag", "from-the-guide")));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            assertThat(created.body().path("webhook").path("type").asText()).isEqualTo("template-echo");

            api.post("/echo-user/events", app, Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "x"));

            Receiver.Hit hit = receiver.await(1, Duration.ofSeconds(10)).get(0);
            assertThat(hit.header("X-Echo-Tag")).isEqualTo("from-the-guide");
            assertThat(hit.header("X-Echo-Messages")).isEqualTo("eventsChanged");
        }
    }
}
