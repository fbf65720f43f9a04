package io.hookline.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.AdminPort;
import io.hookline.support.Receiver;
import io.hookline.support.Startups;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart with a configuration mistake on the operator's side never costs webhooks their retries: an empty plugins
 * folder is refused before anything is delivered, and a missing allow-list holds deliveries back (with backoff and
 * the reason) without deactivating anything; the restart with the fix delivers.
 */
class OperatorMistakeTest {
    static final Duration T = Duration.ofSeconds(20);

    /** A database with one account and one webhook to {@code receiver} that has delivered once. */
    private record Setup(String db, Hooks.Account account, String id) {
    }

    private static Setup deliveredOnce(Receiver receiver) throws Exception {
        String db = TestApps.tempDir().resolve("hookline.db").toString();
        return with(TestApps.app("database.path", db, "webhooks.minIntervalMs", "100", "webhooks.maxRetries", "1"),
                hooks -> {
                    Hooks.Account a = hooks.account();
                    String id = hooks.createWebhook(a, receiver.url());
                    hooks.createEvent(a);
                    hooks.awaitRuns(a, id, 1, T);
                    return new Setup(db, a, id);
                });
    }

    private static <T> T with(DropwizardAppExtension<HooklineConfiguration> app, Function<Hooks, T> work)
            throws Exception {
        return with(app, (a, hooks) -> work.apply(hooks));
    }

    private static <T> T with(DropwizardAppExtension<HooklineConfiguration> app,
                              BiFunction<DropwizardAppExtension<HooklineConfiguration>, Hooks, T> work)
            throws Exception {
        app.before();
        try {
            return work.apply(app, new Hooks(TestApps.client(app)));
        } finally {
            app.after();
        }
    }

    @Test
    void anEmptyPluginsFolderIsRefusedAndTheWebhooksAreUntouched() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Setup s = deliveredOnce(receiver);
            Path empty = Files.createDirectories(TestApps.tempDir().resolve("no-plugins"));

            String refusal = Startups.refusal(TestApps.app("database.path", s.db(), "plugins.directory",
                    empty.toString()));
            assertThat(refusal).contains("\"http\" (1 webhook(s))").contains(empty.toAbsolutePath().toString())
                    .contains("No webhook was changed");

            with(TestApps.app("database.path", s.db()), hooks -> {
                JsonNode w = hooks.webhook(s.account(), s.id());
                assertThat(w.path("state").asText()).isEqualTo("active");
                assertThat(w.path("currentRetries").asInt()).isZero();
                assertThat(w.path("failCount").asInt()).isZero();
                // the restart that works announces itself as usual
                assertThat(receiver.await(2, T).get(1).messages()).containsExactly("webhooksServiceBoot");
                return null;
            });
        }
    }

    @Test
    void withoutTheAllowListDeliveriesAreHeldBackNotDeactivated() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Setup s = deliveredOnce(receiver);

            with(TestApps.app("database.path", s.db(), "network.allowedNetworks", "",
                    "webhooks.minIntervalMs", "100", "webhooks.maxRetries", "1"), (app, hooks) -> {
                // maxRetries is 1: a failure counted against the webhook would deactivate it at the second one
                JsonNode w = hooks.awaitRuns(s.account(), s.id(), 4, T);
                assertThat(w.path("state").asText()).isEqualTo("active");
                assertThat(w.path("currentRetries").asInt()).isZero();
                JsonNode runs = w.path("runs");
                for (int i = 0; i < 3; i++) {
                    JsonNode run = runs.get(i);
                    assertThat(run.path("held").asBoolean()).as(run.toString()).isTrue();
                    assertThat(run.path("status").asInt()).isZero();
                    assertThat(run.path("reason").asText()).contains("denied range");
                }
                // backing off: never sooner than the throttle, the second wait at least as long as the first
                double first = runs.get(1).path("timestamp").asDouble() - runs.get(2).path("timestamp").asDouble();
                double second = runs.get(0).path("timestamp").asDouble() - runs.get(1).path("timestamp").asDouble();
                assertThat(first).isGreaterThanOrEqualTo(0.1);
                assertThat(second).isGreaterThanOrEqualTo(0.16); // 2 x 100 ms, less 20% jitter
                // counted apart from the webhook's own failures, by type and kind
                assertThat(AdminPort.of(app).meterCount("hookline.deliveries.failures.http.held"))
                        .isGreaterThanOrEqualTo(3);
                return null;
            });
            assertThat(receiver.hits()).hasSize(1);

            with(TestApps.app("database.path", s.db(), "webhooks.minIntervalMs", "100"), hooks -> {
                // the restart with the allow-list delivers at once, whatever backoff the held runs had reached
                assertThat(receiver.await(2, T).get(1).messages()).containsExactly("webhooksServiceBoot");
                JsonNode w = hooks.awaitWebhook(s.account(), s.id(),
                        x -> x.path("lastRun").path("status").asInt() == 200, T, "a delivery");
                assertThat(w.path("state").asText()).isEqualTo("active");
                assertThat(w.path("currentRetries").asInt()).isZero();
                return null;
            });
        }
    }
}
