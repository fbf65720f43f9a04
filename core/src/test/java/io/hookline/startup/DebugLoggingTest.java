package io.hookline.startup;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        DropwizardAppExtension<HooklineConfiguration> app = TestApps.app("logging.level", "DEBUG",
                "webhooks.minIntervalMs", "0");
        String personal;
        String appToken;
        String secretPath = "/hook/s3cretPathPart";
        try (Receiver receiver = new Receiver()) {
            app.before();
            try {
                ApiClient api = TestApps.client(app);
                ApiClient.User u = api.createUser("debug-user");
                personal = u.token();
                api.post("/debug-user/streams", personal, Map.of("id", "s", "name", "S"));
                appToken = api.createAccess(u, personal, Map.of("type", "app", "name", "a",
                        "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
                assertThat(api.post("/debug-user/webhooks?auth=" + appToken, null,
                        Map.of("url", receiver.url(secretPath))).status()).isEqualTo(201);
                assertThat(api.post("/debug-user/events?auth=" + appToken, null,
                        Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "x")).status())
                        .isEqualTo(201);
                receiver.await(1, Duration.ofSeconds(15));
                assertThat(api.get("/debug-user/events", personal).status()).isEqualTo(200);
            } finally {
                app.after();
            }
        } finally {
            System.setOut(console);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("DEBUG lines were written").contains("DEBUG");
        assertThat(log).doesNotContain(personal).doesNotContain(appToken).doesNotContain(TestApps.ADMIN_KEY)
                .doesNotContain("s3cretPathPart");
    }

}
