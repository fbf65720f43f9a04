package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.User;
import io.hookline.support.Multipart;
import io.hookline.support.Receiver;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Files attached to events: multipart create and add, download by token or readToken, delete, limits. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AttachmentsTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "limits.maxAttachmentSize", "64KiB", "webhooks.minIntervalMs", "100");
    final ApiClient api = TestApps.client(APP);

    private static final byte[] PHOTO = "not really a photo: \u00e9t\u00e9".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOTES = "steps: 1200".getBytes(StandardCharsets.UTF_8);

    private User userWithStream() {
        User u = api.newUser("files");
        ok(api.post("/" + u.username() + "/streams", u.token(), Map.of("id", "diary", "name", "Diary")), 201);
        return u;
    }

    private static String event(String stream) {
        return "{\"streamIds\": [\"" + stream + "\"], \"type\": \"picture/attached\"}";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Every file under the attachments directory beside the database. */
    private static List<Path> storedFiles() {
        Path dir = Path.of(APP.getConfiguration().getDatabase().getPath()).toAbsolutePath().getParent()
                .resolve("attachments");
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean stored(String fileId) {
        return storedFiles().stream().anyMatch(p -> p.getFileName().toString().equals(fileId));
    }

    @Test
    void anEventCreatedWithFilesGivesThemBack() throws Exception {
        User u = userWithStream();
        String base = "/" + u.username() + "/events";
        JsonNode e = ok(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .file("file", "photo.jpg", "image/jpeg", PHOTO)
                .file("notes", "notes.txt", "text/plain", NOTES)), 201).body().get("event");
        JsonNode files = e.get("attachments");
        assertThat(files).hasSize(2);
        JsonNode photo = files.get(0);
        assertThat(photo.get("fileName").asText()).isEqualTo("photo.jpg");
        assertThat(photo.get("type").asText()).isEqualTo("image/jpeg");
        assertThat(photo.get("size").asLong()).isEqualTo(PHOTO.length);
        assertThat(photo.get("integrity").asText()).isEqualTo("sha256-" + sha256(PHOTO));
        assertThat(photo.get("readToken").asText()).isNotBlank();
        assertThat(stored(photo.get("id").asText())).isTrue();

        String path = base + "/" + e.get("id").asText() + "/" + photo.get("id").asText();
        HttpResponse<byte[]> byToken = api.getBytes(path, u.token());
        assertThat(byToken.statusCode()).isEqualTo(200);
        assertThat(byToken.body()).isEqualTo(PHOTO);
        assertThat(byToken.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        assertThat(byToken.headers().firstValue("Digest").orElse("")).isEqualTo("SHA-256=" + sha256(PHOTO));
        assertThat(byToken.headers().firstValue("Content-Disposition").orElse("")).contains("photo.jpg");

        // By readToken alone, as a browser's <img src> does, with any file name at the end.
        HttpResponse<byte[]> byReadToken = api.getBytes(path + "/any-name.jpg?readToken="
                + photo.get("readToken").asText(), null);
        assertThat(byReadToken.statusCode()).isEqualTo(200);
        assertThat(byReadToken.body()).isEqualTo(PHOTO);
        error(api.get(path + "?readToken=" + files.get(1).get("readToken").asText(), null), 403,
                "invalid-access-token");
        error(api.get(path, null), 401, "invalid-access-token");

        JsonNode listed = ok(api.get(base, u.token()), 200).body().get("events").get(0);
        assertThat(listed.get("attachments")).isEqualTo(files);
        JsonNode account = ok(api.get("/" + u.username() + "/account", u.token()), 200).body().get("account");
        assertThat(account.get("storageUsed").get("attachedFiles").asLong()).isEqualTo(PHOTO.length + NOTES.length);
    }

    @Test
    void aFileMissingFromTheFolderIsAnErrorInTheEnvelopeNotABrokenDownload() throws IOException {
        User u = userWithStream();
        String base = "/" + u.username() + "/events";
        JsonNode e = ok(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .file("file", "photo.jpg", "image/jpeg", PHOTO)), 201).body().get("event");
        String fileId = e.get("attachments").get(0).get("id").asText();
        Path file = storedFiles().stream().filter(p -> p.getFileName().toString().equals(fileId)).findFirst()
                .orElseThrow();
        Files.delete(file);

        error(api.get(base + "/" + e.get("id").asText() + "/" + fileId, u.token()), 404, "unknown-resource");
        assertThat(ok(api.get(base + "/" + e.get("id").asText(), u.token()), 200).body().get("event")
                .get("attachments")).hasSize(1);
    }

    @Test
    void addingAndDeletingFilesChangesTheEventAndNotifies() {
        try (Receiver r = new Receiver()) {
            User u = userWithStream();
            String base = "/" + u.username() + "/events";
            String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "files-app",
                    "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
            ok(api.post("/" + u.username() + "/webhooks", app, Map.of("url", r.url())), 201);
            JsonNode e = ok(api.post(base, app, Map.of("streamIds", List.of("diary"), "type", "note/txt",
                    "content", "x")), 201).body().get("event");
            String id = e.get("id").asText();
            r.await(1, Duration.ofSeconds(10));

            JsonNode added = ok(api.postMultipart(base + "/" + id, app, new Multipart()
                    .file("file", "notes.txt", "text/plain", NOTES)), 200).body().get("event");
            assertThat(added.get("attachments")).hasSize(1);
            assertThat(added.get("modified").asDouble()).isGreaterThan(e.get("modified").asDouble());
            assertThat(r.await(2, Duration.ofSeconds(10)).get(1).messages()).containsExactly("eventsChanged");
            String fileId = added.get("attachments").get(0).get("id").asText();

            JsonNode after = ok(api.delete(base + "/" + id + "/" + fileId, app), 200).body().get("event");
            assertThat(after.has("attachments")).isFalse();
            assertThat(stored(fileId)).isFalse();
            assertThat(r.await(3, Duration.ofSeconds(10)).get(2).messages()).containsExactly("eventsChanged");
            error(api.get(base + "/" + id + "/" + fileId, app), 404, "unknown-resource");
            error(api.delete(base + "/" + id + "/" + fileId, app), 404, "unknown-resource");

            // The same through a batch call.
            String second = ok(api.postMultipart(base + "/" + id, app, new Multipart()
                    .file("file", "again.txt", "text/plain", NOTES)), 200).body().get("event").get("attachments")
                    .get(0).get("id").asText();
            JsonNode batch = ok(api.post("/" + u.username() + "/", app, List.of(Map.of("method",
                    "events.deleteAttachment", "params", Map.of("id", id, "fileId", second)))), 200).body();
            assertThat(batch.get("results").get(0).get("event").has("attachments")).isFalse();
            assertThat(stored(second)).isFalse();
        }
    }

    @Test
    void deletingTheEventFreesItsFiles() {
        User u = userWithStream();
        String base = "/" + u.username() + "/events";
        JsonNode e = ok(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .file("file", "photo.jpg", "image/jpeg", PHOTO)), 201).body().get("event");
        String fileId = e.get("attachments").get(0).get("id").asText();
        ok(api.delete(base + "/" + e.get("id").asText(), u.token()), 200); // trashed: kept
        assertThat(stored(fileId)).isTrue();
        ok(api.delete(base + "/" + e.get("id").asText(), u.token()), 200); // deleted
        assertThat(stored(fileId)).isFalse();

        // Deleting its stream deletes an event left in no stream, and its files.
        JsonNode other = ok(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .file("file", "photo.jpg", "image/jpeg", PHOTO)), 201).body().get("event");
        String otherFile = other.get("attachments").get(0).get("id").asText();
        ok(api.delete("/" + u.username() + "/streams/diary", u.token()), 200);
        ok(api.delete("/" + u.username() + "/streams/diary?mergeEventsWithParent=false", u.token()), 200);
        assertThat(stored(otherFile)).isFalse();
    }

    @Test
    void badUploadsAreRefusedAndStoreNothing() {
        User u = userWithStream();
        String base = "/" + u.username() + "/events";
        List<Path> before = storedFiles();
        error(api.postMultipart(base, u.token(), new Multipart().file("file", "a.txt", "text/plain", NOTES)), 400,
                "invalid-request-structure");
        error(api.postMultipart(base, u.token(), new Multipart().field("event", "{not json")
                .file("file", "a.txt", "text/plain", NOTES)), 400, "invalid-request-structure");
        error(api.postMultipart(base, u.token(), new Multipart().field("event", "{\"type\": \"note/txt\"}")
                .file("file", "a.txt", "text/plain", NOTES)), 400, "invalid-parameters-format");
        error(api.postMultipart(base, u.token(), new Multipart().field("event", event("nowhere"))
                .file("file", "a.txt", "text/plain", NOTES)), 400, "unknown-referenced-resource");
        error(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .field("colour", "red")), 400, "invalid-request-structure");
        error(api.postMultipart(base, u.token(), new Multipart().field("event", event("diary"))
                .file("file", "small.txt", "text/plain", NOTES)
                .file("file", "big.bin", "application/octet-stream", new byte[64 * 1024 + 1])), 413,
                "request-too-large");
        error(api.postMultipart(base, null, new Multipart().field("event", event("diary"))
                .file("file", "a.txt", "text/plain", NOTES)), 401, "invalid-access-token");
        assertThat(storedFiles()).isEqualTo(before);
        assertThat(ok(api.get(base, u.token()), 200).body().get("events")).isEmpty();

        // Adding needs contribute on the event's streams; reading needs read.
        String id = ok(api.post(base, u.token(), Map.of("streamIds", List.of("diary"), "type", "note/txt")), 201)
                .body().get("event").get("id").asText();
        String reader = api.createAccess(u, u.token(), Map.of("type", "shared", "name", "reader",
                "permissions", List.of(Map.of("streamId", "diary", "level", "read")))).get("token").asText();
        error(api.postMultipart(base + "/" + id, reader, new Multipart().file("file", "a.txt", "text/plain", NOTES)),
                403, "forbidden");
        error(api.postMultipart(base + "/" + id, u.token(), new Multipart()), 400, "invalid-request-structure");
        error(api.postMultipart(base + "/nope", u.token(), new Multipart().file("file", "a.txt", "text/plain",
                NOTES)), 404, "unknown-resource");
        assertThat(storedFiles()).isEqualTo(before);
    }
}
