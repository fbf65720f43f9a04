package io.hookline.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Commands;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code copy}: a SQLite database with data, a webhook and a pending notification, copied into an empty PostgreSQL
 * database; a node started on the copy serves the same data to the same tokens and delivers what was pending.
 */
class PostgresCopyTest {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void aCopiedDatabaseServesTheSameDataAndDeliversWhatWasPending() throws Exception {
        Path sqlite = TestApps.tempDir().resolve("source.db");
        String postgres = TestDatabases.createDatabase();
        try (Receiver receiver = new Receiver()) {
            // On SQLite: the receiver fails, so the change stays pending.
            receiver.answering(n -> Receiver.status(503));
            DropwizardAppExtension<HooklineConfiguration> source = TestApps.app("database.path", sqlite.toString(),
                    "database.url", "", "webhooks.minIntervalMs", "200");
            source.before();
            String token;
            String appToken;
            String eventId;
            try {
                ApiClient api = TestApps.client(source);
                ApiClient.User u = api.createUser("mover");
                token = u.token();
                api.post("/mover/streams", token, Map.of("id", "count", "name", "Count"));
                appToken = api.createAccess(u, token, Map.of("type", "app", "name", "server",
                        "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
                assertThat(api.post("/mover/webhooks", appToken, Map.of("url", receiver.url())).status())
                        .isEqualTo(201);
                eventId = api.post("/mover/events", token, Map.of("streamIds", List.of("count"),
                        "type", "count/steps", "content", 1200)).body().path("event").path("id").asText();
                receiver.await(1, T);
            } finally {
                source.after();
            }
            long sizeBefore = Files.size(sqlite);

            Map<String, String> env = Map.of("HOOKLINE_DB", sqlite.toString(), "HOOKLINE_DB_URL", postgres);
            Commands.Result copy = Commands.run(env, "copy");
            assertThat(copy.exitCode()).as(copy.stderr()).isZero();
            assertThat(copy.stdout()).containsPattern("users +1 rows").containsPattern("events +1 rows")
                    .containsPattern("webhooks +1 rows").containsPattern("webhook_pending +1 rows")
                    .contains("every count matches");
            assertThat(Files.size(sqlite)).isEqualTo(sizeBefore);
            // Analyzed with the copy: the planner knows the rows are there (a table never analyzed counts -1).
            double webhooksCounted = Jdbi.create(postgres).withHandle(h -> h.createQuery(
                    "SELECT reltuples FROM pg_class WHERE relname = 'webhooks'").mapTo(Double.class).one());
            assertThat(webhooksCounted).isEqualTo(1.0);

            // Copying twice would double nothing: the target is no longer empty.
            Commands.Result again = Commands.run(env, "copy");
            assertThat(again.exitCode()).isNotZero();
            assertThat(again.stderr()).contains("copy refused: the PostgreSQL database is not empty")
                    .doesNotContain("\tat ");

            // On the copy: the same tokens read the same event, and the pending change reaches the receiver.
            receiver.answering(n -> Receiver.status(200));
            int before = receiver.hits().size();
            DropwizardAppExtension<HooklineConfiguration> copied = TestApps.app("database.url", postgres);
            copied.before();
            try {
                ApiClient api = TestApps.client(copied);
                JsonNode events = api.get("/mover/events", token).body().path("events");
                assertThat(events).hasSize(1);
                assertThat(events.get(0).path("id").asText()).isEqualTo(eventId);
                List<Receiver.Hit> hits = receiver.await(before + 1, T);
                assertThat(hits.get(before).messages()).contains("eventsChanged", "webhooksServiceBoot");
                // New rows continue after the copied ones.
                assertThat(api.post("/mover/events", token, Map.of("streamIds", List.of("count"),
                        "type", "count/steps", "content", 1)).status()).isEqualTo(201);
                assertThat(api.createUser("newcomer").token()).isNotEmpty();
            } finally {
                copied.after();
            }
        }
    }
}
