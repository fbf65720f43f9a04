package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.Reply;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hookline.support.ApiClient.json;
import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /{username}/}: every method callable in a batch, answered in order, each call on its own. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BatchTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    private static Map<String, Object> call(String method, Object params) {
        return Map.of("method", method, "params", params);
    }

    private JsonNode batch(User u, String token, Object calls) {
        Reply r = ok(api.post("/" + u.username() + "/", token, calls), 200);
        return r.body().get("results");
    }

    @Test
    void everyStreamAndEventMethod() {
        User u = api.newUser("batch");
        JsonNode r = batch(u, u.token(), List.of(
                call("streams.create", Map.of("id", "diary", "name", "Diary")),
                call("streams.create", Map.of("id", "old", "name", "Old", "parentId", "diary")),
                call("events.create", Map.of("id", "ev-1", "streamIds", List.of("diary"), "type", "note/txt",
                        "content", "one", "time", 10)),
                call("events.create", Map.of("id", "ev-2", "streamIds", List.of("old"), "type", "note/txt",
                        "time", 20)),
                call("events.get", Map.of("streams", List.of("diary"), "sortAscending", true, "limit", 10)),
                call("events.getOne", Map.of("id", "ev-1")),
                call("events.update", Map.of("id", "ev-1", "update", Map.of("content", "uno"))),
                call("events.delete", Map.of("id", "ev-2")),
                call("events.delete", Map.of("id", "ev-2")),
                call("streams.update", Map.of("id", "diary", "update", Map.of("name", "Journal"))),
                call("streams.delete", Map.of("id", "old")),
                call("streams.delete", Map.of("id", "old", "mergeEventsWithParent", false)),
                call("streams.get", Map.of("state", "all"))));
        assertThat(r).hasSize(13);
        r.forEach(x -> assertThat(x.has("error")).as(x.toString()).isFalse());
        assertThat(r.get(0).get("stream").get("id").asText()).isEqualTo("diary");
        assertThat(r.get(1).get("stream").get("parentId").asText()).isEqualTo("diary");
        assertThat(r.get(2).get("event").get("id").asText()).isEqualTo("ev-1");
        assertThat(ids(r.get(4).get("events"))).containsExactly("ev-1", "ev-2");
        assertThat(r.get(5).get("event").get("content").asText()).isEqualTo("one");
        assertThat(r.get(6).get("event").get("content").asText()).isEqualTo("uno");
        assertThat(r.get(7).get("event").get("trashed").asBoolean()).isTrue();
        assertThat(r.get(8).get("eventDeletion").get("id").asText()).isEqualTo("ev-2");
        assertThat(r.get(9).get("stream").get("name").asText()).isEqualTo("Journal");
        assertThat(r.get(10).get("stream").get("trashed").asBoolean()).isTrue();
        assertThat(r.get(11).get("streamDeletion").get("id").asText()).isEqualTo("old");
        assertThat(ids(r.get(12).get("streams"))).containsExactly("diary");
        assertThat(r.get(12).get("streams").get(0).get("children")).isEmpty();
        // Results carry no meta of their own; the envelope has it.
        assertThat(r.get(0).has("meta")).isFalse();

        // The REST view agrees.
        JsonNode ev = ok(api.get("/" + u.username() + "/events/ev-1", u.token()), 200).body().get("event");
        assertThat(ev.get("content").asText()).isEqualTo("uno");
        error(api.get("/" + u.username() + "/events/ev-2", u.token()), 404, "unknown-resource");
    }

    @Test
    void everyAccessMethod() {
        User u = api.newUser("batchacc");
        JsonNode r = batch(u, u.token(), List.of(
                call("getAccessInfo", Map.of()),
                call("accesses.create", Map.of("type", "app", "name", "app-1",
                        "permissions", List.of(Map.of("streamId", "*", "level", "read")))),
                call("accesses.get", Map.of())));
        r.forEach(x -> assertThat(x.has("error")).as(x.toString()).isFalse());
        assertThat(r.get(0).get("type").asText()).isEqualTo("personal");
        assertThat(r.get(0).get("user").get("username").asText()).isEqualTo(u.username());
        String appId = r.get(1).get("access").get("id").asText();
        String appToken = r.get(1).get("access").get("token").asText();
        assertThat(ids(r.get(2).get("accesses"))).contains(appId);

        // The app's own batch runs with its own rights.
        JsonNode asApp = batch(u, appToken, List.of(
                call("getAccessInfo", Map.of()),
                call("streams.create", Map.of("name", "nope"))));
        assertThat(asApp.get(0).get("id").asText()).isEqualTo(appId);
        Reply withHeader = ok(api.post("/" + u.username() + "/", appToken, List.of()), 200);
        assertThat(withHeader.header("Pryv-Access-Id")).isEqualTo(appId);
        assertThat(asApp.get(1).get("error").get("id").asText()).isEqualTo("forbidden");

        JsonNode del = batch(u, u.token(), List.of(call("accesses.delete", Map.of("id", appId))));
        assertThat(del.get(0).get("accessDeletion").get("id").asText()).isEqualTo(appId);
        error(api.post("/" + u.username() + "/", appToken, List.of(call("getAccessInfo", Map.of()))), 403,
                "invalid-access-token");
    }

    @Test
    void aFailingCallDoesNotStopOrUndoTheOthers() {
        User u = api.newUser("batchfail");
        JsonNode r = batch(u, u.token(), List.of(
                call("streams.create", Map.of("id", "a", "name", "A")),
                call("streams.create", Map.of("id", "a", "name", "A again")),
                call("events.create", Map.of("streamIds", List.of("ghost"), "type", "note/txt")),
                call("events.create", Map.of("streamIds", List.of("a"), "type", "note/txt")),
                call("events.get", Map.of("limit", -1)),
                call("events.get", Map.of("streams", "a")),
                call("no.such.method", Map.of()),
                Map.of("params", Map.of()),
                List.of("not", "a", "call"),
                call("streams.get", List.of()),
                json("{'method': 'streams.get'}"),
                call("events.get", Map.of("colour", "red"))));
        assertThat(r).hasSize(12);
        assertThat(r.get(0).has("stream")).isTrue();
        assertThat(r.get(1).get("error").get("id").asText()).isEqualTo("item-already-exists");
        assertThat(r.get(2).get("error").get("id").asText()).isEqualTo("unknown-referenced-resource");
        assertThat(r.get(2).get("error").get("data").get("streamIds").get(0).asText()).isEqualTo("ghost");
        assertThat(r.get(3).has("event")).isTrue();
        assertThat(r.get(4).get("error").get("id").asText()).isEqualTo("invalid-parameters-format");
        // In a batch, params have their JSON types: a string is not an array of streams.
        assertThat(r.get(5).get("error").get("id").asText()).isEqualTo("invalid-parameters-format");
        assertThat(r.get(6).get("error").get("id").asText()).isEqualTo("invalid-method");
        assertThat(r.get(6).get("error").get("message").asText()).isEqualTo("Invalid method id \"no.such.method\"");
        assertThat(r.get(7).get("error").get("id").asText()).isEqualTo("invalid-request-structure");
        assertThat(r.get(8).get("error").get("id").asText()).isEqualTo("invalid-request-structure");
        assertThat(r.get(9).get("error").get("id").asText()).isEqualTo("invalid-request-structure");
        assertThat(r.get(10).has("streams")).isTrue();
        assertThat(r.get(11).get("error").get("data").get(0).get("param").asText()).isEqualTo("colour");
        r.forEach(x -> {
            if (x.has("error")) assertThat(x.get("error").get("message").asText()).isNotBlank();
        });

        JsonNode streams = ok(api.get("/" + u.username() + "/streams", u.token()), 200).body().get("streams");
        assertThat(ids(streams)).containsExactly("a");
        assertThat(streams.get(0).get("name").asText()).isEqualTo("A");
        assertThat(ok(api.get("/" + u.username() + "/events", u.token()), 200).body().get("events")).hasSize(1);
    }

    @Test
    void theBatchItselfMustBeAnArray() {
        User u = api.newUser("batchbad");
        String path = "/" + u.username() + "/";
        error(api.post(path, u.token(), Map.of("method", "streams.get")), 400, "invalid-request-structure");
        error(api.post(path, u.token(), "[{\"method\": "), 400, "invalid-request-structure");
        error(api.post(path, u.token(), ""), 400, "invalid-request-structure");
        error(api.post(path, u.token(), "42"), 400, "invalid-request-structure");
        assertThat(batch(u, u.token(), List.of())).isEmpty();
        error(api.post(path, null, List.of(call("streams.get", Map.of()))), 401, "invalid-access-token");
    }

    @Test
    void manyCallsInOneBatch() {
        User u = api.newUser("batchmany");
        List<Map<String, Object>> calls = new ArrayList<>();
        calls.add(call("streams.create", Map.of("id", "s", "name", "s")));
        for (int i = 0; i < 200; i++) {
            calls.add(call("events.create", Map.of("streamIds", List.of("s"), "type", "count/n", "content", i)));
        }
        JsonNode r = batch(u, u.token(), calls);
        assertThat(r).hasSize(201);
        for (int i = 1; i <= 200; i++) assertThat(r.get(i).get("event").get("content").asInt()).isEqualTo(i - 1);
        assertThat(ok(api.get("/" + u.username() + "/events?limit=1000", u.token()), 200).body().get("events"))
                .hasSize(200);
    }
}
