package io.hookline.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.HooklineProcess;
import io.hookline.support.TestApps;
import io.hookline.support.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online backups taken while events are being written, by the admin task and by the {@code backup} command, then
 * restored by starting a server on the backup file: every event acknowledged before the backup began is there.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BackupTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    static final Duration T = Duration.ofSeconds(30);

    @Test
    void backupsTakenUnderWritesHoldEveryAcknowledgedEvent() throws Exception {
        ApiClient api = TestApps.client(APP);
        ApiClient.User u = api.createUser("backed-up");
        api.post("/backed-up/streams", u.token(), Map.of("id", "s", "name", "S"));
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                ApiClient.Reply r = api.post("/backed-up/events", u.token(),
                        Map.of("streamIds", List.of("s"), "type", "note/txt", "content", "x"));
                if (r.status() == 201) acknowledged.add(r.body().path("event").path("id").asText());
            }
        });
        writer.start();
        Path dir = TestApps.tempDir();
        Path byTask = dir.resolve("by-task.db");
        Path byCommand = dir.resolve("by-command.db");
        List<String> beforeTask;
        List<String> beforeCommand;
        try {
            Wait.until(() -> acknowledged.size() >= 50, T, "50 events written");
            beforeTask = List.copyOf(acknowledged);
            HttpResponse<String> task = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + APP.getAdminPort() + "/tasks/backup?to=" + byTask))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
            assertThat(task.body()).contains("backup written to " + byTask);

            int seen = acknowledged.size();
            Wait.until(() -> acknowledged.size() >= seen + 20, T, "more events written");
            beforeCommand = List.copyOf(acknowledged);
            HooklineProcess.Result command = HooklineProcess.run(Duration.ofSeconds(120), Map.of(
                    "database.path", APP.getConfiguration().getDatabase().getPath(),
                    "logging.level", "WARN"), "backup", TestApps.configFile(), byCommand.toString());
            assertThat(command.exitCode()).as(command.stderr()).isZero();
            assertThat(command.stdout()).contains("backup written to " + byCommand);
        } finally {
            writing.set(false);
            writer.join(T.toMillis());
        }
        assertThat(Files.exists(byTask.resolveSibling("by-task.db.partial"))).isFalse();

        assertThat(eventsIn(byTask, u.token())).containsAll(beforeTask);
        assertThat(eventsIn(byCommand, u.token())).containsAll(beforeCommand);
    }

    @Test
    void anExistingTargetIsRefused() throws Exception {
        Path existing = Files.writeString(TestApps.tempDir().resolve("taken.db"), "keep me");
        HttpResponse<String> task = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + APP.getAdminPort() + "/tasks/backup?to=" + existing))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).isEqualTo(500);
        assertThat(task.body()).contains("exists; name a new file").doesNotContain("\tat ");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    /** Restores: a server started on the backup file. */
    private static Set<String> eventsIn(Path backup, String token) throws Exception {
        DropwizardAppExtension<HooklineConfiguration> restored = TestApps.app("database.path", backup.toString());
        restored.before();
        try {
            JsonNode events = TestApps.client(restored).get("/backed-up/events?limit=100000", token).body()
                    .path("events");
            Set<String> ids = new HashSet<>();
            events.forEach(e -> ids.add(e.path("id").asText()));
            return ids;
        } finally {
            restored.after();
        }
    }
}
