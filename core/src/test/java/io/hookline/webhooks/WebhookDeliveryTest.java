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

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookDeliveryTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "300",
            "webhooks.maxRetries", "2");

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    @Test
    void deliversEventsChangedWithThePryvBody() {
        try (Receiver receiver = new Receiver()) {
            Hooks.Account s = hooks.account();
            String id = hooks.createWebhook(s, receiver.url());
            hooks.createEvent(s);
            Receiver.Hit hit = receiver.await(1, Duration.ofSeconds(10)).get(0);
            assertThat(hit.messages()).containsExactly("eventsChanged");
            assertThat(hit.header("Content-Type")).startsWith("application/json");
            assertThat(hit.header("User-Agent")).startsWith("Hookline/");
            assertThat(hit.json().path("meta").path("serverTime").asDouble()).isPositive();
            Wait.until(() -> hooks.webhook(s, id).path("runCount").asInt() == 1, Duration.ofSeconds(5), "run recorded");
            JsonNode w = hooks.webhook(s, id);
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(w.path("runs")).hasSize(1);
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void failuresBackOffThenDeactivateAndReactivationDelivers() {
        try (Receiver receiver = new Receiver().answering(n -> n <= 3 ? Receiver.status(500)
                : Receiver.status(200))) {
            Hooks.Account s = hooks.account();
            String id = hooks.createWebhook(s, receiver.url());
            hooks.createEvent(s);
            // maxRetries 2: attempts 1, 2, 3 fail, the third makes currentRetries 3 > 2 and deactivates.
            Wait.until(() -> "inactive".equals(hooks.webhook(s, id).path("state").asText()), Duration.ofSeconds(20),
                    "deactivation");
            JsonNode w = hooks.webhook(s, id);
            assertThat(w.path("runCount").asInt()).isEqualTo(3);
            assertThat(w.path("failCount").asInt()).isEqualTo(3);
            assertThat(w.path("currentRetries").asInt()).isEqualTo(3);
            assertThat(receiver.hits()).hasSize(3);

            assertThat(hooks.setState(s, s.appToken(), id, "active").path("currentRetries").asInt()).isZero();
            List<Receiver.Hit> hits = receiver.await(4, Duration.ofSeconds(10));
            assertThat(hits.get(3).messages()).containsExactly("eventsChanged");
            Wait.until(() -> hooks.webhook(s, id).path("runCount").asInt() == 4, Duration.ofSeconds(5), "4th run");
            assertThat(hooks.webhook(s, id).path("currentRetries").asInt()).isZero();
        }
    }
}
