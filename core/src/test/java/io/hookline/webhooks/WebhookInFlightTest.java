package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client does to a webhook while one of its deliveries waits on the receiver: the client's change is kept, and
 * the run is recorded on top of it (or dropped with the webhook).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookInFlightTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "0");
    static final Duration T = Duration.ofSeconds(15);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    /** A receiver whose first request waits until released; later ones answer at once. */
    private static Receiver holdingFirst(CountDownLatch arrived, CountDownLatch release) {
        return new Receiver().answering(n -> {
            if (n == 1) {
                arrived.countDown();
                try {
                    release.await(T.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Receiver.Answer.status(200);
        });
    }

    @Test
    void aDeactivationDuringADeliveryIsKeptAndTheRunRecorded() throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver r = holdingFirst(arrived, release)) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();

            hooks.setState(a, a.appToken(), id, "inactive");
            release.countDown();

            JsonNode w = hooks.awaitRuns(a, id, 1, T);
            assertThat(w.path("state").asText()).isEqualTo("inactive");
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void aChangeDuringADeliveryIsDeliveredAfterIt() throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver r = holdingFirst(arrived, release)) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();

            hooks.createEvent(a); // while the first delivery waits on the receiver
            release.countDown();

            assertThat(r.await(2, T).get(1).messages()).containsExactly("eventsChanged");
            JsonNode w = hooks.awaitRuns(a, id, 2, T);
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void aWebhookDeletedDuringItsDeliveryIsGoneAndOthersGoOn() throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver r = holdingFirst(arrived, release); Receiver other = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, r.url());
            hooks.createEvent(a);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(api.delete(a.path("/webhooks/" + id), a.appToken()).status()).isEqualTo(200);
            release.countDown();

            String otherId = hooks.createWebhook(a, other.url());
            hooks.createEvent(a);
            assertThat(other.await(1, T).get(0).messages()).containsExactly("eventsChanged");
            hooks.awaitRuns(a, otherId, 1, T);
            assertThat(api.get(a.path("/webhooks/" + id), a.appToken()).status()).isEqualTo(404);
            assertThat(r.hits()).hasSize(1);
        }
    }
}
