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

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throttling and merging: no two deliveries of one webhook closer than {@code minIntervalMs}; what changes meanwhile
 * is merged into the next delivery as distinct messages in first-seen order; {@code test} ignores the throttle.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookThrottleTest {
    static final long MIN_INTERVAL_MS = 2000;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", String.valueOf(MIN_INTERVAL_MS));
    static final Duration T = Duration.ofSeconds(15);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    @Test
    void changesWithinTheIntervalAreMergedIntoOneDeliveryInFirstSeenOrder() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            String event = hooks.createEvent(a);
            Receiver.Hit first = r.await(1, T).get(0);
            assertThat(first.messages()).containsExactly("eventsChanged");
            hooks.awaitRuns(a, id, 1, T); // the throttle now runs from the end of that delivery

            ok(api.post(a.path("/streams"), a.appToken(), Map.of("id", "s2", "name", "S2")), 201);
            hooks.createEvent(a);
            ok(api.put(a.path("/events/" + event), a.appToken(), Map.of("content", 5)), 200);
            hooks.access(a, a.appToken(), "shared", "coach");
            ok(api.put(a.path("/streams/s2"), a.appToken(), Map.of("name", "S2b")), 200);
            hooks.createEvent(a);
            long lastChange = System.nanoTime();
            assertThat(r.hits()).as("throttled: nothing yet").hasSize(1);

            Receiver.Hit merged = r.await(2, T).get(1);
            assertThat((lastChange - first.atNanos()) / 1_000_000)
                    .as("the changes must all fall inside the throttle window for this test to mean anything")
                    .isLessThan(MIN_INTERVAL_MS);
            assertThat(merged.messages()).containsExactly("streamsChanged", "eventsChanged", "accessesChanged");
            assertThat((merged.atNanos() - first.atNanos()) / 1_000_000).isGreaterThanOrEqualTo(MIN_INTERVAL_MS);

            // nothing was held back or split off: the next delivery carries only the next change
            hooks.awaitRuns(a, id, 2, T);
            ok(api.put(a.path("/streams/s2"), a.appToken(), Map.of("name", "S2c")), 200);
            assertThat(r.await(3, T).get(2).messages()).containsExactly("streamsChanged");
            assertThat(hooks.awaitRuns(a, id, 3, T).path("runCount").asInt()).isEqualTo(3);
            assertThat(r.hits()).hasSize(3);
        }
    }

    @Test
    void noTwoDeliveriesCloserThanTheIntervalUnderAStreamOfChanges() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            long start = System.nanoTime();
            int events = 0;
            while (System.nanoTime() - start < Duration.ofMillis(MIN_INTERVAL_MS * 2 + 700).toNanos()) {
                hooks.createEvent(a);
                events++;
            }
            long lastChange = System.nanoTime();
            // the last change is delivered too: wait for a delivery that started after it
            Wait.until(() -> {
                List<Receiver.Hit> hits = r.hits();
                return !hits.isEmpty() && hits.get(hits.size() - 1).atNanos() > lastChange;
            }, T, "a delivery after the last change");
            List<Receiver.Hit> hits = r.hits();
            assertThat(events).isGreaterThan(hits.size());
            // The first change, then at least one delivery after the last: how many fit between depends on how busy
            // the machine is; that none are closer than the interval is what matters.
            assertThat(hits.size()).isGreaterThanOrEqualTo(2);
            assertThat(Hooks.gapsMs(hits)).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(MIN_INTERVAL_MS));
            hits.forEach(h -> assertThat(h.messages()).containsExactly("eventsChanged"));
            assertThat(hooks.awaitRuns(a, id, hits.size(), T).path("failCount").asInt()).isZero();
        }
    }

    @Test
    void twoWebhooksOfOneUserAreThrottledIndependently() {
        try (Receiver r1 = new Receiver(); Receiver r2 = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id1 = hooks.createWebhook(a, r1.url());
            hooks.createEvent(a);
            r1.await(1, T);
            hooks.awaitRuns(a, id1, 1, T);
            // a second webhook created while the first is throttled is not held back by it
            hooks.createWebhook(a, r2.url());
            ok(api.put(a.path("/streams/count"), a.appToken(), Map.of("name", "C")), 200);
            Receiver.Hit hit = r2.await(1, T).get(0);
            assertThat(hit.messages()).containsExactly("streamsChanged");
            Receiver.Hit throttled = r1.await(2, T).get(1);
            assertThat(throttled.messages()).containsExactly("streamsChanged");
            assertThat(hit.atNanos()).as("the new webhook is delivered before the throttled one")
                    .isLessThan(throttled.atNanos());
        }
    }

    @Test
    void reactivatingDoesNotBypassTheThrottle() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            Receiver.Hit first = r.await(1, T).get(0);
            hooks.awaitRuns(a, id, 1, T);
            hooks.createEvent(a); // pending, throttled
            for (int i = 0; i < 3; i++) hooks.setState(a, a.appToken(), id, "active");
            Receiver.Hit second = r.await(2, T).get(1);
            assertThat(second.messages()).containsExactly("eventsChanged");
            assertThat((second.atNanos() - first.atNanos()) / 1_000_000).isGreaterThanOrEqualTo(MIN_INTERVAL_MS);
            JsonNode w = hooks.awaitRuns(a, id, 2, T);
            double[] ts = {w.path("runs").get(0).path("timestamp").asDouble(),
                    w.path("runs").get(1).path("timestamp").asDouble()};
            assertThat((ts[0] - ts[1]) * 1000).isGreaterThanOrEqualTo(MIN_INTERVAL_MS);
        }
    }

    @Test
    void testIgnoresTheThrottle() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            Receiver.Hit delivered = r.await(1, T).get(0);
            hooks.awaitRuns(a, id, 1, T);
            hooks.createEvent(a); // now pending, throttled
            for (int i = 0; i < 2; i++) {
                ApiClient.Reply t = api.post(a.path("/webhooks/" + id + "/test"), a.appToken(), null);
                assertThat(t.status()).as(t.body().toString()).isEqualTo(200);
            }
            List<Receiver.Hit> hits = r.hits();
            assertThat(hits).hasSize(3);
            assertThat(hits.get(1).messages()).containsExactly("test");
            assertThat(hits.get(2).messages()).containsExactly("test");
            assertThat((hits.get(2).atNanos() - delivered.atNanos()) / 1_000_000).isLessThan(MIN_INTERVAL_MS);
            // the pending change still comes after the throttle, alone, and the tests counted no run
            Receiver.Hit next = r.await(4, T).get(3);
            assertThat(next.messages()).containsExactly("eventsChanged");
            assertThat((next.atNanos() - delivered.atNanos()) / 1_000_000).isGreaterThanOrEqualTo(MIN_INTERVAL_MS);
            assertThat(hooks.awaitRuns(a, id, 2, T).path("runCount").asInt()).isEqualTo(2);
        }
    }
}
