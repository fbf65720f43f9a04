package io.hookline.delivery;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.AdminPort;
import io.hookline.support.ApiClient;
import io.hookline.support.Console;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failing webhook that is not deactivated yet shows in the log (user, webhook id, type, reason; never its URL or a
 * token) and in the failure meters by notifier type and kind.
 */
class FailureLogLineTest {
    private static final Duration T = Duration.ofSeconds(15);

    @Test
    void aFailureIsLoggedWithUserAndWebhookAndCountedByTypeAndKind() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app("webhooks.minIntervalMs", "50",
                "webhooks.maxRetries", "10");
        String[] token = new String[1];
        String[] id = new String[1];
        long[] held = new long[1];
        String log = Console.capture(() -> {
            try (Receiver receiver = new Receiver().answering(n -> Receiver.status(503))) {
                app.before();
                try {
                    ApiClient api = TestApps.client(app);
                    ApiClient.User u = api.createUser("failing-user");
                    api.post("/failing-user/streams", u.token(), Map.of("id", "s", "name", "S"));
                    token[0] = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                            "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
                    id[0] = api.post("/failing-user/webhooks", token[0],
                            Map.of("url", receiver.url("/hook/s3cretPathPart"))).body().path("webhook").path("id")
                            .asText();
                    api.post("/failing-user/events", token[0], Map.of("streamIds", List.of("s"), "type", "note/txt",
                            "content", "x"));
                    receiver.await(2, T);
                    AdminPort admin = AdminPort.of(app);
                    Wait.until(() -> admin.meterCount("hookline.deliveries.failures.http.server-error") >= 2,
                            T, "two failures counted");
                    held[0] = admin.meterCount("hookline.deliveries.failures.http.held");
                    assertThat(api.get("/failing-user/webhooks/" + id[0], token[0]).body().path("webhook")
                            .path("state").asText()).isEqualTo("active");
                } finally {
                    app.after();
                }
            }
        });
        // A failure meter appears with its first mark: none counted as held on Hookline's side.
        assertThat(held[0]).isIn(0L, AdminPort.MISSING);
        assertThat(log).contains("Delivery of webhook " + id[0] + " of user failing-user (type http) failed")
                .doesNotContain(token[0]).doesNotContain("s3cretPathPart");
    }
}
