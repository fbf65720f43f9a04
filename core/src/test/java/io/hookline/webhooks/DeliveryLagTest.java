package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.AdminPort;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lag is how late a delivery that could run is, from when it became due: a delivery in flight is not late, nor a
 * throttled webhook, nor a new one (due time 0) before its first message; one waiting for a place is.
 * The {@code delivery-lag} health check and the {@code hookline.deliveries.lagMs} gauge say the same.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryLagTest {
    /** One delivery in flight at a time: a second webhook due meanwhile could run, but waits. */
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app("webhooks.minIntervalMs", "0",
            "webhooks.maxInFlight", "1", "webhooks.maxInFlightPerHost", "1");
    /** An hour between two deliveries of a webhook. */
    static final DropwizardAppExtension<HooklineConfiguration> THROTTLED = TestApps.app(
            "webhooks.minIntervalMs", "3600000");
    static final Duration T = Duration.ofSeconds(15);

    @Test
    void aSlowFirstDeliveryWithAChangeQueuedBehindItIsNotLate() throws InterruptedException {
        Hooks hooks = new Hooks(TestApps.client(APP));
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver slow = new Receiver().answering(Receiver.holdingTheFirst(arrived, release, T))) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, slow.url());
            hooks.createEvent(a);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
            hooks.createEvent(a); // queued behind the delivery in flight

            assertThat(lagMs(APP)).isZero();
            assertThat(health(APP).path("healthy").asBoolean()).as(health(APP).toString()).isTrue();

            release.countDown();
            hooks.awaitRuns(a, id, 2, T);
            assertThat(lagMs(APP)).isZero();
        }
    }

    @Test
    void aDueDeliveryWaitingForAPlaceIsLateUntilItRuns() throws InterruptedException {
        Hooks hooks = new Hooks(TestApps.client(APP));
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Receiver slow = new Receiver().answering(Receiver.holdingTheFirst(arrived, release, T));
             Receiver other = new Receiver()) {
            Hooks.Account a = hooks.account();
            hooks.createWebhook(a, slow.url());
            hooks.createEvent(a);
            assertThat(arrived.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Hooks.Account b = hooks.account();
            String waiting = hooks.createWebhook(b, other.url());
            hooks.createEvent(b); // due now, but the only place is taken
            Wait.until(() -> lagMs(APP) > 0, T, "the waiting delivery to show as late");

            release.countDown();
            hooks.awaitRuns(b, waiting, 1, T);
            Wait.until(() -> lagMs(APP) == 0, T, "no delivery late once it ran");
        }
    }

    @Test
    void aThrottledWebhookWithPendingChangesIsNotLate() {
        Hooks hooks = new Hooks(TestApps.client(THROTTLED));
        try (Receiver receiver = new Receiver()) {
            Hooks.Account a = hooks.account();
            String id = hooks.createWebhook(a, receiver.url());
            hooks.createEvent(a);
            hooks.awaitRuns(a, id, 1, T);
            hooks.createEvent(a); // pending for an hour: the throttle

            assertThat(lagMs(THROTTLED)).isZero();
            assertThat(health(THROTTLED).path("healthy").asBoolean()).isTrue();
            assertThat(receiver.hits()).hasSize(1);
        }
    }

    private static long lagMs(DropwizardAppExtension<HooklineConfiguration> app) {
        return AdminPort.of(app).gauge("hookline.deliveries.lagMs");
    }

    private static JsonNode health(DropwizardAppExtension<HooklineConfiguration> app) {
        return AdminPort.of(app).health().path("delivery-lag");
    }
}
