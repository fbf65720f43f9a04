package io.hookline.webhooks;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.AdminPort;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code webhooks.maxInFlightPerHost}: one host gets at most that many deliveries at once; the others wait their turn. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookHostLimitTest {
    static final int PER_HOST = 2;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "webhooks.minIntervalMs", "0",
            "webhooks.maxInFlightPerHost", String.valueOf(PER_HOST));
    static final Duration T = Duration.ofSeconds(15);

    final ApiClient api = TestApps.client(APP);
    final Hooks hooks = new Hooks(api);

    private static long inFlight() {
        return AdminPort.of(APP).gauge("hookline.deliveries.inFlight");
    }

    @Test
    void oneHostGetsAtMostItsShareAndTheRestFollow() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (Receiver host = new Receiver().answering(n -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                release.await(T.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return Receiver.status(200);
        }); Receiver elsewhere = new Receiver()) {
            Hooks.Account a = hooks.account();
            for (int i = 0; i < 5; i++) hooks.createWebhook(a, host.url("/hook/" + i));
            hooks.createEvent(a);
            Wait.until(() -> now.get() == PER_HOST, T, "the host to have " + PER_HOST + " deliveries waiting");

            // Work scheduled after those five goes out: by then they have all been started or set to wait.
            Hooks.Account b = hooks.account();
            hooks.createWebhook(b, elsewhere.url());
            hooks.createEvent(b);
            elsewhere.await(1, T);
            assertThat(host.hits()).hasSize(PER_HOST);
            // Operators see it: the two held deliveries are in flight, the three others are not.
            Wait.until(() -> inFlight() == PER_HOST, T, "the in-flight gauge to show " + PER_HOST);

            release.countDown();
            assertThat(host.await(5, T)).hasSize(5);
            assertThat(most.get()).isEqualTo(PER_HOST);
            Wait.until(() -> inFlight() == 0, T, "the in-flight gauge to show 0");
            // On PostgreSQL the node claimed all five and gave back the three that found the host full: operators
            // see each give-back, a transaction of its own.
            if (TestDatabases.postgresql()) {
                assertThat(AdminPort.of(APP).gauge("hookline.deliveries.givenBack")).isGreaterThanOrEqualTo(3);
            }
        }
    }
}
