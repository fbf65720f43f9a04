package io.hookline.startup;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.Multipart;
import io.hookline.support.Startups;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node serves the attachments folder its database's files are in: one given a folder without them (its own empty
 * folder while its peers share another, a database moved without its folder) is refused at start, naming the setting.
 */
class AttachmentsFolderTest {
    private static final byte[] FILE = "steps: 1200".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFolderWithoutTheDatabasesFilesIsRefusedAndTheRightOneServes() throws Exception {
        Path dir = TestApps.tempDir();
        String db = dir.resolve("hookline.db").toString();
        String shared = dir.resolve("shared").toString();
        // An empty folder on an empty database: nothing to hold yet.
        DropwizardAppExtension<HooklineConfiguration> first = TestApps.app("database.path", db,
                "attachments.directory", shared);
        first.before();
        String path;
        String token;
        try {
            ApiClient api = TestApps.client(first);
            ApiClient.User u = api.newUser("folder");
            ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "diary", "name", "Diary")), 201);
            JsonNode e = ok(api.postMultipart("/" + u.username() + "/events", u.token(), new Multipart()
                    .field("event", "{\"streamIds\": [\"diary\"], \"type\": \"note/txt\"}")
                    .file("file", "notes.txt", "text/plain", FILE)), 201).body().get("event");
            path = "/" + u.username() + "/events/" + e.get("id").asText() + "/"
                    + e.get("attachments").get(0).get("id").asText();
            token = u.token();
        } finally {
            first.after();
        }

        Path own = dir.resolve("own");
        String refusal = Startups.refusal(TestApps.app("database.path", db, "attachments.directory", own.toString()));
        assertThat(refusal).startsWith("attachments.directory (HOOKLINE_ATTACHMENTS_DIR): " + own)
                .contains("holds none of the attached files the database describes");

        DropwizardAppExtension<HooklineConfiguration> again = TestApps.app("database.path", db,
                "attachments.directory", shared);
        again.before();
        try {
            HttpResponse<byte[]> file = TestApps.client(again).getBytes(path, token);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(FILE);
        } finally {
            again.after();
        }
    }
}
