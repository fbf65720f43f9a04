package io.hookline.notifier.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
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

/** Slack webhooks through the server: a fake Slack on loopback answering as Slack does. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SlackWebhookTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "50",
            "webhooks.maxRetries", "5");

    final ApiClient api = TestApps.client(APP);

    private record Hook(ApiClient.User user, String app, String id) {
        void change(ApiClient api, int n) {
            api.post("/" + user.username() + "/events", app, Map.of("streamIds", List.of("s"), "type", "count/steps",
                    "content", n));
        }
    }

    private Hook slackHook(String url) {
        ApiClient.User u = api.createUser("sl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "s", "name", "S"));
        String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
        ApiClient.Reply r = api.post("/" + u.username() + "/webhooks", app, Map.of("url", url, "type", "slack"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return new Hook(u, app, r.body().path("webhook").path("id").asText());
    }

    private JsonNode webhook(Hook h) {
        return api.get("/" + h.user().username() + "/webhooks/" + h.id(), h.app()).body().path("webhook");
    }

    @Test
    void deliversPlainWordsAndNeverFasterThanOncePerSecond() {
        try (Receiver slack = new Receiver().answering(n -> new Answer(200, Map.of(), "ok"))) {
            Hook h = slackHook(slack.url());
            h.change(api, 1);
            slack.await(1, Duration.ofSeconds(10));
            h.change(api, 2);
            List<Receiver.Hit> hits = slack.await(2, Duration.ofSeconds(10));
            assertThat(hits.get(0).json().path("text").asText()).contains(h.user().username()).contains("events changed");
            long gapMs = (hits.get(1).atNanos() - hits.get(0).atNanos()) / 1_000_000;
            assertThat(gapMs).as("gap between two Slack messages").isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void rateLimitedThenDelivered() {
        try (Receiver slack = new Receiver().answering(n -> n == 1
                ? new Answer(429, Map.of("Retry-After", "1"), "rate_limited")
                : new Answer(200, Map.of(), "ok"))) {
            Hook h = slackHook(slack.url());
            h.change(api, 1);
            List<Receiver.Hit> hits = slack.await(2, Duration.ofSeconds(15));
            assertThat((hits.get(1).atNanos() - hits.get(0).atNanos()) / 1_000_000).isGreaterThanOrEqualTo(1000);
            Wait.until(() -> webhook(h).path("runCount").asInt() == 2, Duration.ofSeconds(5), "two runs");
            JsonNode w = webhook(h);
            assertThat(w.path("state").asText()).isEqualTo("active");
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("failCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void channelNotFoundAndArchivedDeactivateAtOnce() {
        for (Object[] answer : new Object[][]{{404, "channel_not_found"}, {410, "channel_is_archived"}}) {
            try (Receiver slack = new Receiver().answering(n -> new Answer((int) answer[0], Map.of(),
                    (String) answer[1]))) {
                Hook h = slackHook(slack.url());
                h.change(api, 1);
                Wait.until(() -> "inactive".equals(webhook(h).path("state").asText()), Duration.ofSeconds(10),
                        "deactivation on " + answer[1]);
                JsonNode w = webhook(h);
                assertThat(w.path("runCount").asInt()).isEqualTo(1);
                assertThat(w.path("runs").get(0).path("reason").asText()).contains((String) answer[1]);
                assertThat(slack.hits()).hasSize(1);
            }
        }
    }
}
