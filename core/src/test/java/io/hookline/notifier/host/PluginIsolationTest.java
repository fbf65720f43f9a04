package io.hookline.notifier.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.notifier.testkit.PluginJars;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin that throws or hangs fails its own deliveries, with a recorded reason; everything else keeps working. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PluginIsolationTest {
    private static final String FAULTY = """
            package test.faulty;
            import io.hookline.notifier.*;
            @org.pf4j.Extension
            public class %s implements Notifier {
                public String type() { return "%s"; }
                public boolean urlIsNetworkTarget() { return false; }
                public DeliveryOutcome deliver(Notification n) throws Exception {
                    %s
                }
            }
            """;

    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.appWithPlugins(List.of(
                    faulty("throwing-plugin", "Throwing", "throwing", "throw new IllegalStateException(\"boom\");"),
                    faulty("hanging-plugin", "Hanging", "hanging",
                            "while (true) { java.util.concurrent.locks.LockSupport.park(); }")),
            "webhooks.minIntervalMs", "100",
            "webhooks.requestTimeout", "500ms",
            "webhooks.maxRetries", "1");

    final ApiClient api = TestApps.client(APP);

    private static Path faulty(String id, String cls, String type, String body) {
        try {
            return PluginJars.build(TestApps.tempDir(), id, "test.faulty." + cls, FAULTY.formatted(cls, type, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void throwingAndHangingPluginsFailOnlyTheirOwnWebhooks() {
        try (Receiver healthy = new Receiver()) {
            ApiClient.User u = api.createUser("iso" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
            api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "s", "name", "S"));
            String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                    "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
            String throwing = create(u, app, Map.of("url", "label-1", "type", "throwing"));
            String hanging = create(u, app, Map.of("url", "label-2", "type", "hanging"));
            create(u, app, Map.of("url", healthy.url()));

            api.post("/" + u.username() + "/events", app, Map.of("streamIds", List.of("s"), "type", "note/txt",
                    "content", "x"));
            healthy.await(1, Duration.ofSeconds(10));

            // maxRetries 1: two failed runs deactivate each faulty webhook, with the reason in its runs.
            Wait.until(() -> state(u, app, throwing).equals("inactive") && state(u, app, hanging).equals("inactive"),
                    Duration.ofSeconds(20), "faulty webhooks deactivated");
            JsonNode t = get(u, app, throwing);
            assertThat(t.path("runs").get(0).path("status").asInt()).isZero();
            assertThat(t.path("runs").get(0).path("reason").asText()).contains("boom");
            JsonNode h = get(u, app, hanging);
            assertThat(h.path("runs").get(0).path("reason").asText()).contains("timed out");

            // The service still answers and delivers.
            api.post("/" + u.username() + "/events", app, Map.of("streamIds", List.of("s"), "type", "note/txt",
                    "content", "y"));
            healthy.await(2, Duration.ofSeconds(10));
        }
    }

    private String create(ApiClient.User u, String token, Map<String, Object> body) {
        ApiClient.Reply r = api.post("/" + u.username() + "/webhooks", token, body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("webhook").path("id").asText();
    }

    private JsonNode get(ApiClient.User u, String token, String id) {
        return api.get("/" + u.username() + "/webhooks/" + id, token).body().path("webhook");
    }

    private String state(ApiClient.User u, String token, String id) {
        return get(u, token, id).path("state").asText();
    }
}
