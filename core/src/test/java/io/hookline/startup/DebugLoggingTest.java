package io.hookline.startup;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Console;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the root log level at DEBUG, as an operator chasing a problem would set it, no token, key or target URL reaches
 * the log: not from requests (Authorization header, {@code ?auth=}), nor from deliveries.
 */
class DebugLoggingTest {
    @Test
    void debugLoggingPrintsNoSecret() throws Exception {
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app("logging.level", "DEBUG",
                "webhooks.minIntervalMs", "0");
        String[] tokens = new String[2];
        String secretPath = "/hook/s3cretPathPart";
        String log = Console.capture(() -> {
            try (Receiver receiver = new Receiver()) {
                app.before();
                try {
                    ApiClient api = TestApps.client(app);
                    ApiClient.User u = api.createUser("debug-user");
                    tokens[0] = u.token();
                    api.post("/debug-user/streams", tokens[0], Map.of("id", "s", "name", "S"));
                    tokens[1] = api.createAccess(u, tokens[0], Map.of("type", "app", "name", "a",
                            "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
                    assertThat(api.post("/debug-user/webhooks?auth=" + tokens[1], null,
                            Map.of("url", receiver.url(secretPath))).status()).isEqualTo(201);
                    assertThat(api.post("/debug-user/events?auth=" + tokens[1], null,
                            Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "x")).status())
                            .isEqualTo(201);
                    receiver.await(1, Duration.ofSeconds(15));
                    assertThat(api.get("/debug-user/events", tokens[0]).status()).isEqualTo(200);
                } finally {
                    app.after();
                }
            }
        });
        String personal = tokens[0];
        String appToken = tokens[1];
        assertThat(log).as("DEBUG lines were written").contains("DEBUG");
        assertThat(log).doesNotContain(personal).doesNotContain(appToken).doesNotContain(TestApps.ADMIN_KEY)
                .doesNotContain("s3cretPathPart");
    }

}
