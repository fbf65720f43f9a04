package io.hookline.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app("webhooks.minIntervalMs", "50",
                "webhooks.maxRetries", "10");
        String token;
        String id;
        JsonNode meters;
        try (Receiver receiver = new Receiver().answering(n -> Receiver.status(503))) {
            app.before();
            try {
                ApiClient api = TestApps.client(app);
                ApiClient.User u = api.createUser("failing-user");
                api.post("/failing-user/streams", u.token(), Map.of("id", "s", "name", "S"));
                token = api.createAccess(u, u.token(), Map.of("type", "app", "name", "a",
                        "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
                id = api.post("/failing-user/webhooks", token, Map.of("url", receiver.url("/hook/s3cretPathPart")))
                        .body().path("webhook").path("id").asText();
                api.post("/failing-user/events", token, Map.of("streamIds", List.of("s"), "type", "note/txt",
                        "content", "x"));
                receiver.await(2, T);
                ApiClient admin = new ApiClient("http://127.0.0.1:" + app.getAdminPort());
                Wait.until(() -> admin.get("/metrics", null).body().path("meters")
                                .path("hookline.deliveries.failures.http.server-error").path("count").asLong() >= 2,
                        T, "two failures counted");
                meters = admin.get("/metrics", null).body().path("meters");
                assertThat(api.get("/failing-user/webhooks/" + id, token).body().path("webhook").path("state")
                        .asText()).isEqualTo("active");
            } finally {
                app.after();
            }
        } finally {
            System.setOut(console);
        }
        assertThat(meters.path("hookline.deliveries.failures.http.held").path("count").asLong()).isZero();
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Delivery of webhook " + id + " of user failing-user (type http) failed")
                .doesNotContain(token).doesNotContain("s3cretPathPart");
    }
}
