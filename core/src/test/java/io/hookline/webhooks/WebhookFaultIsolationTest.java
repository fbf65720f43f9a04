package io.hookline.webhooks;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that hangs, resets, closes, drips, answers slowly, answers 500 or redirects costs only its own webhook's
 * retries: a healthy webhook of another user keeps being delivered promptly meanwhile.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookFaultIsolationTest {
    static final long REQUEST_TIMEOUT_MS = 3000;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "200",
            "webhooks.maxRetries", "50",
            "webhooks.maxBackoff", "1s",
            "webhooks.connectTimeout", "1s",
            "webhooks.requestTimeout", REQUEST_TIMEOUT_MS + "ms");
    static final Duration T = Duration.ofSeconds(20);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    private static List<Integer> statuses(JsonNode w) {
        return w.path("runs").findValues("status").stream().map(JsonNode::asInt).toList();
    }

    /** What a receiver does to simulate a slow or hung application (not test synchronisation). */
    private static void pause(CountDownLatch latch, long ms) {
        try {
            latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Failed runs only, all consecutive, still active (maxRetries 50). */
    private static void assertOnlyFailures(JsonNode w, int status) {
        assertThat(statuses(w)).as(w.toString()).isNotEmpty().containsOnly(status);
        assertThat(w.path("failCount").asInt()).isEqualTo(w.path("runCount").asInt());
        assertThat(w.path("currentRetries").asInt()).isEqualTo(w.path("runCount").asInt());
        assertThat(w.path("state").asText()).isEqualTo("active");
        assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(status);
    }

    @Test
    void eachFaultCostsOnlyItsOwnWebhook() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try (Receiver hang = new Receiver().answering(n -> {
                 pause(release, 60_000);
                 return Receiver.status(200);
             });
             RawReceiver reset = new RawReceiver(RawReceiver.Mode.RESET);
             RawReceiver close = new RawReceiver(RawReceiver.Mode.CLOSE);
             RawReceiver drip = new RawReceiver(RawReceiver.Mode.DRIP);
             Receiver slow = new Receiver().answering(n -> {
                 pause(never, 1000);
                 return Receiver.status(200);
             });
             Receiver error = new Receiver().answering(n -> Receiver.status(500));
             Receiver target = new Receiver();
             Receiver redirect = new Receiver().answering(n ->
                     new Answer(302, Map.of("Location", target.url()), ""));
             Receiver healthy = new Receiver()) {
            try {
                Hooks.Account f = hooks.account();
                Hooks.Account h = hooks.account();
                String hangId = hooks.createWebhook(f, hang.url());
                String resetId = hooks.createWebhook(f, reset.url());
                String closeId = hooks.createWebhook(f, close.url());
                String dripId = hooks.createWebhook(f, drip.url());
                String slowId = hooks.createWebhook(f, slow.url());
                String errorId = hooks.createWebhook(f, error.url());
                String redirectId = hooks.createWebhook(f, redirect.url());
                String healthyId = hooks.createWebhook(h, healthy.url());

                hooks.createEvent(f);
                Wait.until(() -> hang.hits().size() >= 1 && slow.hits().size() >= 1, T,
                        "the hanging and slow receivers to be called");
                assertThat(hooks.webhook(f, hangId).path("runCount").asInt()).as("hang in flight").isZero();

                for (int i = 1; i <= 3; i++) {
                    long before = System.nanoTime();
                    hooks.createEvent(h);
                    Receiver.Hit hit = healthy.await(i, T).get(i - 1);
                    long latencyMs = (hit.atNanos() - before) / 1_000_000;
                    // Behind a hanging receiver it would wait for the whole request timeout.
                    assertThat(latencyMs).as("healthy delivery %d latency", i).isLessThan(REQUEST_TIMEOUT_MS);
                    assertThat(hit.messages()).containsExactly("eventsChanged");
                    hooks.awaitRuns(h, healthyId, i, T);
                }

                JsonNode hung = hooks.awaitRuns(f, hangId, 1, T);
                assertOnlyFailures(hung, 0);
                assertThat(hung.path("runs").get(0).path("reason").asText()).contains("timed out");
                assertOnlyFailures(hooks.awaitRuns(f, resetId, 2, T), 0);
                assertOnlyFailures(hooks.awaitRuns(f, closeId, 2, T), 0);
                // a body dripped too slowly to ever trip a read timeout is cut at the whole-request limit
                JsonNode dripped = hooks.awaitRuns(f, dripId, 1, T);
                assertOnlyFailures(dripped, 0);
                assertThat(dripped.path("runs").get(0).path("reason").asText()).contains("timed out");
                assertOnlyFailures(hooks.awaitRuns(f, errorId, 2, T), 500);
                assertOnlyFailures(hooks.awaitRuns(f, redirectId, 2, T), 302);
                assertThat(target.hits()).as("redirects are not followed").isEmpty();
                assertThat(reset.requests()).isGreaterThanOrEqualTo(2);
                assertThat(close.requests()).isGreaterThanOrEqualTo(2);

                JsonNode slowW = hooks.awaitRuns(f, slowId, 1, T);
                assertThat(statuses(slowW)).containsExactly(200);
                assertThat(slowW.path("failCount").asInt()).isZero();

                // the healthy webhook, meanwhile, never failed, and still delivers promptly
                long before = System.nanoTime();
                hooks.createEvent(h);
                Receiver.Hit last = healthy.await(4, T).get(3);
                assertThat((last.atNanos() - before) / 1_000_000).isLessThan(REQUEST_TIMEOUT_MS);
                JsonNode ok = hooks.awaitRuns(h, healthyId, 4, T);
                assertThat(ok.path("failCount").asInt()).isZero();
                assertThat(ok.path("runCount").asInt()).isEqualTo(4);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aReceiverThatClosesIdleKeepAliveConnectionsIsStillDelivered() {
        try (RawReceiver r = new RawReceiver(RawReceiver.Mode.ANSWER_THEN_CLOSE)) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            for (int i = 1; i <= 4; i++) {
                hooks.createEvent(a);
                JsonNode w = hooks.awaitRuns(a, id, i, T);
                assertThat(w.path("lastRun").path("status").asInt()).as("run %d: %s", i, w).isEqualTo(200);
            }
            JsonNode w = hooks.webhook(a, id);
            assertThat(w.path("failCount").asInt()).isZero();
            assertThat(r.requests()).isEqualTo(4);
        }
    }
}
