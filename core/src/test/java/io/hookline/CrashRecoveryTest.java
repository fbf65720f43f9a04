package io.hookline;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hookline as a separate process, killed with SIGKILL while a change waits behind the throttle: after a restart the
 * pending {@code eventsChanged} is still delivered (it was committed with the event, not kept in memory).
 */
class CrashRecoveryTest {
    private final Path dir = TestApps.tempDir();
    private Process server;

    @AfterEach
    void stop() {
        if (server != null) server.destroyForcibly();
    }

    @Test
    void pendingNotificationSurvivesSigkill() throws Exception {
        try (Receiver receiver = new Receiver()) {
            int port = freePort();
            int adminPort = freePort();
            server = start(port, adminPort);
            ApiClient api = new ApiClient("http://127.0.0.1:" + port);

            ApiClient.User user = api.createUser("crash-user");
            api.post("/crash-user/streams", user.token(), Map.of("id", "count", "name", "Count"));
            JsonNode app = api.createAccess(user, user.token(), Map.of("type", "app", "name", "server",
                    "permissions", List.of(Map.of("streamId", "*", "level", "manage"))));
            String appToken = app.get("token").asText();
            assertThat(api.post("/crash-user/webhooks", appToken, Map.of("url", receiver.url())).status()).isEqualTo(201);

            Map<String, Object> event = Map.of("streamIds", List.of("count"), "type", "count/steps", "content", 1);
            assertThat(api.post("/crash-user/events", appToken, event).status()).isEqualTo(201);
            receiver.await(1, Duration.ofSeconds(15));
            // The webhook is now throttled for minIntervalMs: this change can only wait, pending.
            assertThat(api.post("/crash-user/events", appToken, event).status()).isEqualTo(201);
            assertThat(receiver.hits()).hasSize(1);

            server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush
            server = start(port, adminPort);

            List<Receiver.Hit> hits = receiver.await(2, Duration.ofSeconds(30));
            assertThat(hits.get(1).messages()).contains("eventsChanged", "webhooksServiceBoot");
        }
    }

    private Process start(int port, int adminPort) throws IOException {
        return ServerProcess.start(dir, port, adminPort, Map.of("HOOKLINE_MIN_INTERVAL_MS", "3000"), List.of());
    }

    private static int freePort() {
        return ServerProcess.freePort();
    }
}
