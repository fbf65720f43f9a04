package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code webhooksServiceBoot}: a second Hookline started on the database of a first one tells every active webhook
 * it (re)started, together with what was still pending, and tells inactive webhooks nothing.
 */
class WebhookBootTest {
    static final Duration T = Duration.ofSeconds(20);
    /**
     * Longer than the first server can take to stop on a loaded machine (one CI run saw 7 s): the second change must
     * still be pending when it has stopped, not delivered by it while stopping.
     */
    static final long THROTTLE_MS = 12_000;

    private static DropwizardAppExtension<HooklineConfiguration> app(String dbPath, String minIntervalMs) {
        return TestApps.app("database.path", dbPath, "webhooks.minIntervalMs", minIntervalMs);
    }

    @Test
    void aRestartSendsTheBootMessageToActiveWebhooks() throws Exception {
        String db = TestApps.tempDir().resolve("boot.db").toString();
        try (Receiver active = new Receiver();
             Receiver inactive = new Receiver()) {
            Hooks.Account a;
            String activeId;
            String inactiveId;

            // First run: a throttle long enough that a second change is still pending when the process stops.
            DropwizardAppExtension<HooklineConfiguration> first = app(db, String.valueOf(THROTTLE_MS));
            Receiver.Hit firstHit;
            first.before();
            try {
                Hooks hooks = new Hooks(TestApps.client(first));
                a = hooks.account();
                activeId = hooks.createWebhook(a, active.url());
                inactiveId = hooks.createWebhook(a, inactive.url());
                hooks.setState(a, a.appToken(), inactiveId, "inactive");
                hooks.createEvent(a);
                firstHit = active.await(1, T).get(0);
                assertThat(firstHit.messages()).containsExactly("eventsChanged");
                hooks.awaitRuns(a, activeId, 1, T);
                hooks.createEvent(a); // throttled: pending at shutdown
                assertThat(active.hits()).hasSize(1);
            } finally {
                first.after();
            }
            assertThat(inactive.hits()).isEmpty();

            // Second run on the same database (new webhooks get a short throttle; stored ones keep theirs).
            DropwizardAppExtension<HooklineConfiguration> second = app(db, "100");
            second.before();
            try {
                Hooks hooks = new Hooks(TestApps.client(second));
                Hooks.Account b = hooks.account();
                try (Receiver fresh = new Receiver()) {
                    // a webhook created after the start gets no boot message: its first delivery is the change
                    hooks.createWebhook(b, fresh.url());
                    hooks.createEvent(b);
                    assertThat(fresh.await(1, T).get(0).messages()).containsExactly("eventsChanged");
                }
                // the pending change and the boot message go out together, once the stored throttle allows
                Receiver.Hit secondHit = active.await(2, T).get(1);
                assertThat(secondHit.messages()).containsExactly("eventsChanged", "webhooksServiceBoot");
                assertThat((secondHit.atNanos() - firstHit.atNanos()) / 1_000_000).isGreaterThanOrEqualTo(THROTTLE_MS);
                JsonNode w = hooks.awaitRuns(a, activeId, 2, T);
                assertThat(w.path("runCount").asInt()).isEqualTo(2);
                assertThat(w.path("failCount").asInt()).isZero();
                assertThat(hooks.webhook(a, inactiveId).path("runCount").asInt()).isZero();
                assertThat(inactive.hits()).isEmpty();
                assertThat(active.hits()).hasSize(2);
            } finally {
                second.after();
            }
        }
    }

    @Test
    void theBootMessageGoesOutAtStartWhenNothingIsThrottled() throws Exception {
        String db = TestApps.tempDir().resolve("boot2.db").toString();
        try (Receiver r = new Receiver(); Receiver off = new Receiver(); Receiver scoped = new Receiver()) {
            Hooks.Account a;
            String id;
            DropwizardAppExtension<HooklineConfiguration> first = app(db, "100");
            first.before();
            try {
                Hooks hooks = new Hooks(TestApps.client(first));
                a = hooks.account();
                id = hooks.createWebhook(a, r.url());
                String offId = hooks.createWebhook(a, off.url());
                hooks.setState(a, a.appToken(), offId, "inactive");
                ApiClient.Reply s = TestApps.client(first).post(a.path("/webhooks"), a.appToken(), Map.of("url",
                        scoped.url(), "scopes", Map.of("stepsChanged", Map.of("kind", "events"))));
                assertThat(s.status()).as(s.body().toString()).isEqualTo(201);
            } finally {
                first.after();
            }
            assertThat(r.hits()).isEmpty();

            DropwizardAppExtension<HooklineConfiguration> second = app(db, "100");
            second.before();
            try {
                Receiver.Hit hit = r.await(1, T).get(0);
                assertThat(hit.messages()).containsExactly("webhooksServiceBoot");
                // A scoped webhook is told of the start as every webhook is.
                assertThat(scoped.await(1, T).get(0).messages()).containsExactly("webhooksServiceBoot");
                Hooks hooks = new Hooks(TestApps.client(second));
                JsonNode w = hooks.awaitRuns(a, id, 1, T);
                assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
                // and the service keeps delivering normally afterwards
                hooks.createEvent(a);
                assertThat(r.await(2, T).get(1).messages()).containsExactly("eventsChanged");
                assertThat(off.hits()).isEmpty();
                ApiClient.Reply list = TestApps.client(second).get(a.path("/webhooks"), a.personal());
                assertThat(list.body().path("webhooks")).hasSize(3);
            } finally {
                second.after();
            }
        }
    }
}
