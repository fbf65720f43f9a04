package io.hookline.notifier.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.notifier.testkit.PluginJars;
import io.hookline.support.ApiClient;
import io.hookline.support.Startups;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook type whose plugin is gone after a restart: refused at start-up while an active webhook uses it; an
 * inactive one does not block start-up, and reactivated, its deliveries fail with the reason recorded and health
 * saying so. The rest works.
 */
class MissingPluginTest {
    private static final String SOURCE = """
            package test.gone;
            import io.hookline.notifier.*;
            @org.pf4j.Extension
            public class Gone implements Notifier {
                public String type() { return "soon-gone"; }
                public boolean urlIsNetworkTarget() { return false; }
                public DeliveryOutcome deliver(Notification n) { return DeliveryOutcome.delivered(200); }
            }
            """;
    private static final Duration T = Duration.ofSeconds(15);

    @Test
    void anActiveWebhookOfAMissingTypeStopsStartUpAndAnInactiveOneFailsWithAReasonWhenReactivated() throws Exception {
        String dbPath = TestApps.tempDir().resolve("shared.db").toString();
        Path jar = PluginJars.build(TestApps.tempDir(), "soon-gone", "test.gone.Gone", SOURCE);

        DropwizardAppExtension<HooklineConfiguration> first = TestApps.appWithPlugins(List.of(jar), "database.path", dbPath);
        first.before();
        String app;
        String id;
        try {
            ApiClient api = TestApps.client(first);
            ApiClient.User u = api.createUser("gone-user");
            api.post("/gone-user/streams", u.token(), Map.of("id", "s", "name", "S"));
            app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                    "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
            ApiClient.Reply r = api.post("/gone-user/webhooks", app, Map.of("url", "a-label", "type", "soon-gone"));
            assertThat(r.status()).isEqualTo(201);
            id = r.body().path("webhook").path("id").asText();
        } finally {
            first.after();
        }

        String refusal = Startups.refusal(TestApps.app("database.path", dbPath));
        assertThat(refusal).contains("\"soon-gone\" (1 webhook(s))").contains("installed: [");

        DropwizardAppExtension<HooklineConfiguration> withPlugin = TestApps.appWithPlugins(List.of(jar),
                "database.path", dbPath);
        withPlugin.before();
        try {
            ApiClient api = TestApps.client(withPlugin);
            assertThat(api.put("/gone-user/webhooks/" + id, app, Map.of("state", "inactive")).status()).isEqualTo(200);
        } finally {
            withPlugin.after();
        }

        DropwizardAppExtension<HooklineConfiguration> second = TestApps.app("database.path", dbPath,
                "webhooks.minIntervalMs", "100");
        second.before();
        try {
            ApiClient api = TestApps.client(second);
            assertThat(api.put("/gone-user/webhooks/" + id, app, Map.of("state", "active")).status()).isEqualTo(200);
            api.post("/gone-user/events", app, Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "x"));
            Wait.until(() -> webhook(api, app, id).path("failCount").asInt() >= 1, T, "a failed run");
            JsonNode w = webhook(api, app, id);
            assertThat(w.path("runs").get(0).path("reason").asText())
                    .contains("no notifier is installed for type \"soon-gone\"");
            // Hookline's side, not the webhook's: held, never counted against its retries
            assertThat(w.path("runs").get(0).path("held").asBoolean()).isTrue();
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("state").asText()).isEqualTo("active");

            ApiClient admin = new ApiClient("http://127.0.0.1:" + second.getAdminPort());
            JsonNode health = admin.get("/healthcheck", null).body();
            assertThat(health.path("plugins").path("healthy").asBoolean()).isFalse();
            assertThat(health.path("plugins").path("message").asText()).contains("soon-gone");
            assertThat(api.get("/gone-user/events", app).status()).isEqualTo(200);
        } finally {
            second.after();
        }
    }

    private static JsonNode webhook(ApiClient api, String token, String id) {
        return api.get("/gone-user/webhooks/" + id, token).body().path("webhook");
    }
}
