package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.notifier.testkit.LoopbackReceiver.Answer;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backoff, deactivation and reactivation with exact counters; runs newest first capped at {@code runsSize};
 * 410 deactivates at once; Retry-After of 429/503 is respected within {@code maxBackoff}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookRetryTest {
    static final long MIN_INTERVAL_MS = 200;
    static final long MAX_BACKOFF_MS = 1500;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", String.valueOf(MIN_INTERVAL_MS),
            "webhooks.maxRetries", "2",
            "webhooks.runsSize", "3",
            "webhooks.maxBackoff", MAX_BACKOFF_MS + "ms");
    static final Duration T = Duration.ofSeconds(15);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    private static List<Integer> statuses(JsonNode w) {
        return w.path("runs").findValues("status").stream().map(JsonNode::asInt).toList();
    }

    private static List<Double> timestamps(JsonNode w) {
        return w.path("runs").findValues("timestamp").stream().map(JsonNode::asDouble).toList();
    }

    @Test
    void backsOffThenDeactivatesAndReactivationDeliversWhatIsPending() {
        boolean[] healthy = {false};
        // The second and third attempts wait at the receiver until the test has read the state before them: the
        // backoff between attempts is short, and a slow read would otherwise see a later state.
        Semaphore nextAttempt = new Semaphore(0);
        try (Receiver r = new Receiver().answering(n -> {
            if (n == 2 || n == 3) {
                try {
                    assertThat(nextAttempt.tryAcquire(T.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Receiver.status(healthy[0] ? 200 : 500);
        })) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);

            JsonNode after1 = hooks.awaitRuns(a, id, 1, T);
            assertThat(after1.path("runCount").asInt()).isEqualTo(1);
            assertThat(after1.path("failCount").asInt()).isEqualTo(1);
            assertThat(after1.path("currentRetries").asInt()).isEqualTo(1);
            assertThat(after1.path("state").asText()).isEqualTo("active");
            assertThat(after1.path("lastRun").path("status").asInt()).isEqualTo(500);
            nextAttempt.release();

            JsonNode after2 = hooks.awaitRuns(a, id, 2, T);
            assertThat(after2.path("failCount").asInt()).isEqualTo(2);
            assertThat(after2.path("currentRetries").asInt()).isEqualTo(2);
            assertThat(after2.path("state").asText()).isEqualTo("active"); // 2 is not > maxRetries 2
            nextAttempt.release();

            // the third failure makes currentRetries 3 > 2: inactive
            JsonNode off = hooks.awaitWebhook(a, id, w -> w.path("state").asText().equals("inactive"), T,
                    "deactivation");
            assertThat(off.path("runCount").asInt()).isEqualTo(3);
            assertThat(off.path("failCount").asInt()).isEqualTo(3);
            assertThat(off.path("currentRetries").asInt()).isEqualTo(3);
            assertThat(off.path("lastRun").path("status").asInt()).isEqualTo(500);
            assertThat(statuses(off)).containsExactly(500, 500, 500);
            assertThat(timestamps(off)).isSortedAccordingTo((x, y) -> Double.compare(y, x)); // newest first
            assertThat(off.path("lastRun").path("timestamp").asDouble()).isEqualTo(timestamps(off).get(0));

            List<Receiver.Hit> hits = r.hits();
            assertThat(hits).hasSize(3);
            hits.forEach(h -> assertThat(h.messages()).containsExactly("eventsChanged"));
            // retry n waits minIntervalMs * 2^(n-1), +-20%, never less than minIntervalMs: 200 then 320..480 ms
            List<Long> gaps = Hooks.gapsMs(hits);
            assertThat(gaps.get(0)).isGreaterThanOrEqualTo(MIN_INTERVAL_MS);
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(MIN_INTERVAL_MS * 2 * 8 / 10);

            // reactivation: currentRetries back to 0, and what was pending is delivered
            healthy[0] = true;
            ApiClient.Reply on = api.put(a.path("/webhooks/" + id), a.appToken(), Map.of("state", "active"));
            assertThat(on.status()).as(on.body().toString()).isEqualTo(200);
            JsonNode reactivated = on.body().path("webhook");
            Hooks.assertAllFields(reactivated);
            assertThat(reactivated.path("state").asText()).isEqualTo("active");
            assertThat(reactivated.path("currentRetries").asInt()).isZero();
            assertThat(reactivated.path("runCount").asInt()).isEqualTo(3);
            assertThat(reactivated.path("failCount").asInt()).isEqualTo(3);

            assertThat(r.await(4, T).get(3).messages()).containsExactly("eventsChanged");
            JsonNode done = hooks.awaitRuns(a, id, 4, T);
            assertThat(done.path("runCount").asInt()).isEqualTo(4);
            assertThat(done.path("failCount").asInt()).isEqualTo(3);
            assertThat(done.path("currentRetries").asInt()).isZero();
            assertThat(done.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(statuses(done)).containsExactly(200, 500, 500); // runsSize 3, newest first
            assertThat(timestamps(done)).isSortedAccordingTo((x, y) -> Double.compare(y, x));
            // reactivation ends the backoff, not the throttle: the runs are still minIntervalMs apart
            assertThat((timestamps(done).get(0) - timestamps(done).get(1)) * 1000)
                    .isGreaterThanOrEqualTo(MIN_INTERVAL_MS);

            // and it goes on delivering normally
            hooks.createEvent(a);
            assertThat(r.await(5, T).get(4).messages()).containsExactly("eventsChanged");
            assertThat(statuses(hooks.awaitRuns(a, id, 5, T))).containsExactly(200, 200, 500);
        }
    }

    @Test
    void aSuccessResetsCurrentRetries() {
        try (Receiver r = new Receiver().answering(n -> Receiver.status(n <= 2 ? 503 : 204))) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            JsonNode w = hooks.awaitRuns(a, id, 3, T);
            assertThat(w.path("runCount").asInt()).isEqualTo(3);
            assertThat(w.path("failCount").asInt()).isEqualTo(2);
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("state").asText()).isEqualTo("active");
            assertThat(statuses(w)).containsExactly(204, 503, 503);
        }
    }

    @Test
    void goneDeactivatesAtOnce() {
        try (Receiver gone = new Receiver().answering(n -> Receiver.status(410));
             Receiver probe = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, gone.url());
            String probeId = hooks.createWebhook(a, probe.url());
            hooks.createEvent(a);
            JsonNode w = hooks.awaitWebhook(a, id, x -> x.path("state").asText().equals("inactive"), T,
                    "deactivation by 410");
            assertThat(w.path("runCount").asInt()).isEqualTo(1);
            assertThat(w.path("failCount").asInt()).isEqualTo(1);
            assertThat(w.path("currentRetries").asInt()).isEqualTo(1);
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(410);
            assertThat(statuses(w)).containsExactly(410);
            assertThat(w.path("runs").get(0).path("reason").asText()).contains("410");
            assertThat(gone.hits()).hasSize(1);

            // later changes reach the probe but no longer the deactivated webhook
            probe.await(1, T);
            hooks.awaitRuns(a, probeId, 1, T);
            hooks.createEvent(a);
            probe.await(2, T);
            hooks.awaitRuns(a, probeId, 2, T);
            assertThat(gone.hits()).hasSize(1);
            assertThat(hooks.webhook(a, id).path("runCount").asInt()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterIsRespectedWithinTheCap() {
        try (Receiver r = new Receiver().answering(n -> switch (n) {
            case 1 -> new Answer(429, Map.of("Retry-After", "1"), "");
            case 2 -> new Answer(503, Map.of("Retry-After", "3600"), "");
            default -> Receiver.status(200);
        })) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            List<Receiver.Hit> hits = r.await(3, T);
            List<Long> gaps = Hooks.gapsMs(hits);
            // backoff alone would be ~200 ms: the longer Retry-After (1 s) wins
            assertThat(gaps.get(0)).isGreaterThanOrEqualTo(1000);
            // an hour is asked for, maxBackoff (1.5 s) caps it
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(MAX_BACKOFF_MS).isLessThan(MAX_BACKOFF_MS + 5000);
            JsonNode w = hooks.awaitRuns(a, id, 3, T);
            assertThat(w.path("runCount").asInt()).isEqualTo(3);
            assertThat(w.path("failCount").asInt()).isEqualTo(2);
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(statuses(w)).containsExactly(200, 503, 429);
            hits.forEach(h -> assertThat(h.messages()).containsExactly("eventsChanged"));
        }
    }

    @Test
    void deactivatingByHandStopsDeliveriesAndReactivatingResumesThem() {
        try (Receiver r = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            JsonNode off = hooks.setState(a, a.appToken(), id, "inactive");
            assertThat(off.path("state").asText()).isEqualTo("inactive");
            hooks.createEvent(a);
            try (Receiver probe = new Receiver()) {
                String probeId = hooks.createWebhook(a, probe.url());
                hooks.createEvent(a);
                probe.await(1, T);
                hooks.awaitRuns(a, probeId, 1, T);
            }
            assertThat(r.hits()).isEmpty();
            hooks.setState(a, a.appToken(), id, "active");
            hooks.createEvent(a);
            assertThat(r.await(1, T).get(0).messages()).containsExactly("eventsChanged");
        }
    }

    @Test
    void aRetryKeepsItsWebhookIdUnlessMessagesWereMergedIntoIt() {
        CountDownLatch merged = new CountDownLatch(1);
        try (Receiver r = new Receiver().answering(n -> {
            if (n == 2) {
                // Held until the test has made another change: it is merged into the next attempt.
                try {
                    merged.await(T.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Receiver.status(n <= 2 ? 500 : 200);
        })) {
            Hooks.Account a = hooks.account();
            ApiClient.Reply created = api.post(a.path("/webhooks"), a.appToken(),
                    Map.of("url", r.url(), "type", "signed-http"));
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            hooks.createEvent(a);
            r.await(2, T);
            assertThat(api.post(a.path("/streams"), a.appToken(), Map.of("id", "merged", "name", "Merged")).status())
                    .isEqualTo(201);
            merged.countDown();
            List<Receiver.Hit> hits = r.await(3, T);
            assertThat(hits.get(0).messages()).containsExactly("eventsChanged");
            assertThat(hits.get(1).messages()).containsExactly("eventsChanged");
            assertThat(hits.get(2).messages()).containsExactly("eventsChanged", "streamsChanged");
            String first = hits.get(0).header("webhook-id");
            assertThat(first).startsWith("msg_");
            assertThat(hits.get(1).header("webhook-id")).as("a retry of the same body").isEqualTo(first);
            assertThat(hits.get(2).header("webhook-id")).as("a body with merged messages").isNotEqualTo(first);

            hooks.createEvent(a);
            List<Receiver.Hit> after = r.await(4, T);
            assertThat(after.get(3).header("webhook-id")).as("the next notification after a success")
                    .isNotIn(first, hits.get(2).header("webhook-id"));
        }
    }
}
