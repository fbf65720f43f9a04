package io.hookline.webhooks;

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

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook made active again receives, in its next delivery, the message of every kind of change that happened while
 * it was inactive (for a scoped webhook, the matching keys), beside what was pending when it was deactivated; while
 * inactive it receives nothing.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookCatchUpTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "100",
            "webhooks.maxRetries", "0");
    static final Duration T = Duration.ofSeconds(15);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    @Test
    void everyKindOfChangeMissedWhileInactiveIsDeliveredOnReactivation() {
        try (Receiver r = new Receiver(); Receiver probe = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.setState(a, a.appToken(), id, "inactive");
            // The probe, active all along, is told of each change: once it was, the inactive webhook had its chance.
            hooks.createWebhook(a, probe.url());

            hooks.createEvent(a);
            ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "sleep", "name", "Sleep")), 201);
            hooks.access(a, a.personal(), "shared", "coach");
            Wait.until(() -> probe.hits().stream().flatMap(h -> h.messages().stream()).distinct().count() == 3, T,
                    "the probe told of the three kinds of change");
            assertThat(r.hits()).as("nothing while inactive").isEmpty();

            hooks.setState(a, a.appToken(), id, "active");
            assertThat(r.await(1, T).get(0).messages())
                    .containsExactlyInAnyOrder("eventsChanged", "streamsChanged", "accessesChanged");
            hooks.awaitRuns(a, id, 1, T);

            // Once caught up, it is told of new changes only.
            hooks.createEvent(a);
            assertThat(r.await(2, T).get(1).messages()).containsExactly("eventsChanged");
        }
    }

    @Test
    void whatWasPendingWhenItWasDeactivatedIsDeliveredToo() {
        boolean[] healthy = {false};
        try (Receiver r = new Receiver().answering(n -> Receiver.status(healthy[0] ? 200 : 500))) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            // maxRetries 0: the first failure deactivates it, eventsChanged still pending.
            hooks.awaitWebhook(a, id, w -> w.path("state").asText().equals("inactive"), T, "deactivation");
            ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "sleep", "name", "Sleep")), 201);

            healthy[0] = true;
            hooks.setState(a, a.appToken(), id, "active");
            assertThat(r.await(2, T).get(1).messages()).containsExactlyInAnyOrder("eventsChanged", "streamsChanged");
            assertThat(hooks.awaitRuns(a, id, 2, T).path("lastRun").path("status").asInt()).isEqualTo(200);
        }
    }

    @Test
    void aScopedWebhookCatchesUpWithTheKeysItsScopesMatched() {
        try (Receiver r = new Receiver(); Receiver probe = new Receiver()) {
            Hooks.Account a = hooks.account();
            ok(api.post(a.path("/streams"), a.personal(), Map.of("id", "sleep", "name", "Sleep")), 201);
            ApiClient.Reply created = ok(api.post(a.path("/webhooks"), a.appToken(), Map.of("url", r.url(), "scopes",
                    Map.of("stepsChanged", Map.of("kind", "events", "query", Map.of("streams", List.of("count"))),
                            "sleepChanged", Map.of("kind", "events", "query", Map.of("streams", List.of("sleep"))),
                            "treeChanged", Map.of("kind", "streams")))), 201);
            String id = created.body().path("webhook").path("id").asText();
            hooks.setState(a, a.appToken(), id, "inactive");
            String probeId = hooks.createWebhook(a, probe.url());

            hooks.createEvent(a); // in count: stepsChanged; nothing in sleep, no stream changed
            hooks.awaitRuns(a, probeId, 1, T);
            assertThat(r.hits()).isEmpty();

            hooks.setState(a, a.appToken(), id, "active");
            assertThat(r.await(1, T).get(0).messages()).containsExactly("stepsChanged");
        }
    }
}
