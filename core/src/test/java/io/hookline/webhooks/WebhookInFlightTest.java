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

    /**
     * A webhook whose first delivery is waiting on its receiver: an account, the webhook, one event, and a receiver
     * that holds its first request until {@link #release} (later ones are answered at once).
     */
    private final class HeldDelivery implements AutoCloseable {
        final CountDownLatch release = new CountDownLatch(1);
        final Receiver receiver;
        final Hooks.Account account = hooks.account();
        final String id;

        HeldDelivery() throws InterruptedException {
            CountDownLatch arrived = new CountDownLatch(1);
            receiver = new Receiver().answering(Receiver.holdingTheFirst(arrived, release, T));
            id = hooks.createWebhook(account, receiver.url());
            hooks.createEvent(account);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release();
            receiver.close();
        }
    }

    @Test
    void aDeactivationDuringADeliveryIsKeptAndTheRunRecorded() throws InterruptedException {
        try (HeldDelivery held = new HeldDelivery()) {
            hooks.setState(held.account, held.account.appToken(), held.id, "inactive");
            held.release();

            JsonNode w = hooks.awaitRuns(held.account, held.id, 1, T);
            assertThat(w.path("state").asText()).isEqualTo("inactive");
            assertThat(w.path("lastRun").path("status").asInt()).isEqualTo(200);
            assertThat(w.path("currentRetries").asInt()).isZero();
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void aChangeDuringADeliveryIsDeliveredAfterIt() throws InterruptedException {
        try (HeldDelivery held = new HeldDelivery()) {
            hooks.createEvent(held.account); // while the first delivery waits on the receiver
            held.release();

            assertThat(held.receiver.await(2, T).get(1).messages()).containsExactly("eventsChanged");
            JsonNode w = hooks.awaitRuns(held.account, held.id, 2, T);
            assertThat(w.path("failCount").asInt()).isZero();
        }
    }

    @Test
    void aWebhookDeletedDuringItsDeliveryIsGoneAndOthersGoOn() throws InterruptedException {
        try (HeldDelivery held = new HeldDelivery(); Receiver other = new Receiver()) {
            Hooks.Account a = held.account;
            assertThat(api.delete(a.path("/webhooks/" + held.id), a.appToken()).status()).isEqualTo(200);
            held.release();

            String otherId = hooks.createWebhook(a, other.url());
            hooks.createEvent(a);
            assertThat(other.await(1, T).get(0).messages()).containsExactly("eventsChanged");
            hooks.awaitRuns(a, otherId, 1, T);
            assertThat(api.get(a.path("/webhooks/" + held.id), a.appToken()).status()).isEqualTo(404);
            assertThat(held.receiver.hits()).hasSize(1);
        }
    }
}
