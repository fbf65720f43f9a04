package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookDeliveryTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "300",
            "webhooks.maxRetries", "2");

    final ApiClient api = TestApps.client(APP);

    private record Setup(ApiClient.User user, String appToken, String appId) {
    }

    private Setup userWithApp() {
        ApiClient.User u = api.createUser("u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "count", "name", "Count"));
        JsonNode app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "steps-server",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
        return new Setup(u, app.get("token").asText(), app.get("id").asText());
    }

    private String createWebhook(Setup s, String url) {
        ApiClient.Reply r = api.post("/" + s.user().username() + "/webhooks", s.appToken(), Map.of("url", url));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("webhook").path("id").asText();
    }

    private void createEvent(Setup s) {
        ApiClient.Reply r = api.post("/" + s.user().username() + "/events", s.appToken(),
                Map.of("streamIds", List.of("count"), "type", "count/steps", "content", 100));
        assertThat(r.status()).isEqualTo(201);
    }

    private JsonNode webhook(Setup s, String id) {
        return api.get("/" + s.user().username() + "/webhooks/" + id, s.appToken()).body().path("webhook");
    }

    @Test
    void deliversEventsChangedWithThePryvBody() {
        try (Receiver receiver = new Receiver()) {
            Setup s = userWithApp();
            String id = createWebhook(s, receiver.url());
            createEvent(s);
            Receiver.Hit hit = receiver.await(1, Duration.ofSeconds(10)).get(0);
            assertThat(hit.messages()).containsExactly("eventsChanged");
            assertThat(hit.header("Content-Type")).startsWith("application/json");
            assertThat(hit.header("User-Agent")).startsWith("Hookline/");
            assertThat(hit.json().path("meta").path("serverTime").asDouble()).isPositive();
            Wait.until(() -> webhook(s, id).path("runCount").asInt() == 1, Duration.ofSeconds(5), "run recorded");
            JsonNode w = webhook(s, id);
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(w.path("runs")).hasSize(1);
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void failuresBackOffThenDeactivateAndReactivationDelivers() {
        try (Receiver receiver = new Receiver().answering(n -> n <= 3 ? Receiver.Answer.status(500)
                : Receiver.Answer.status(200))) {
            Setup s = userWithApp();
            String id = createWebhook(s, receiver.url());
            createEvent(s);
            // maxRetries 2: attempts 1, 2, 3 fail, the third makes currentRetries 3 > 2 and deactivates.
            Wait.until(() -> "inactive".equals(webhook(s, id).path("state").asText()), Duration.ofSeconds(20),
                    "deactivation");
            JsonNode w = webhook(s, id);
            assertThat(w.path("runCount").asInt()).isEqualTo(3);
            assertThat(w.path("failCount").asInt()).isEqualTo(3);
            assertThat(w.path("currentRetries").asInt()).isEqualTo(3);
            assertThat(receiver.hits()).hasSize(3);

            ApiClient.Reply r = api.put("/" + s.user().username() + "/webhooks/" + id, s.appToken(),
                    Map.of("state", "active"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("webhook").path("currentRetries").asInt()).isZero();
            List<Receiver.Hit> hits = receiver.await(4, Duration.ofSeconds(10));
            assertThat(hits.get(3).messages()).containsExactly("eventsChanged");
            Wait.until(() -> webhook(s, id).path("runCount").asInt() == 4, Duration.ofSeconds(5), "4th run");
            assertThat(webhook(s, id).path("currentRetries").asInt()).isZero();
        }
    }
}
