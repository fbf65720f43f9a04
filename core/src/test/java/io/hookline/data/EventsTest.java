package io.hookline.data;

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

import java.util.List;
import java.util.Map;

import static io.hookline.support.ApiClient.json;
import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** events.create / getOne / update / delete over REST (docs/API.md section 6); events.get is in EventsGetTest. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventsTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);


    private User userWithStreams(String prefix, String... streams) {
        User u = api.newUser(prefix);
        for (String s : streams) ok(api.post(u.path("/streams"), u.token(), Map.of("id", s, "name", s)), 201);
        return u;
    }

    private List<String> allEventIds(User u) {
        return ids(ok(api.get(u.path("/events?state=all&limit=1000"), u.token()), 200).body().get("events"));
    }

    @Test
    void createWithDefaultsAndReadItBack() {
        User u = userWithStreams("ev", "diary");
        double before = System.currentTimeMillis() / 1000.0;
        JsonNode e = ok(api.post(u.path("/events"), u.token(),
                Map.of("streamIds", List.of("diary"), "type", "note/txt", "content", "hello")), 201)
                .body().get("event");
        assertThat(e.get("id").asText()).matches("c[a-z0-9]{24}");
        assertThat(e.get("streamIds")).hasSize(1);
        assertThat(e.get("streamId").asText()).isEqualTo("diary");
        assertThat(e.get("type").asText()).isEqualTo("note/txt");
        assertThat(e.get("content").asText()).isEqualTo("hello");
        assertThat(e.get("time").asDouble()).isCloseTo(before, within(5.0));
        assertThat(e.get("tags").isArray()).isTrue();
        assertThat(e.get("tags")).isEmpty();
        assertThat(e.get("trashed").asBoolean()).isFalse();
        assertThat(e.get("created").asDouble()).isCloseTo(before, within(5.0));
        assertThat(e.get("modified").asDouble()).isEqualTo(e.get("created").asDouble());
        String personalId = ok(api.get(u.path("/access-info"), u.token()), 200).body().get("id").asText();
        assertThat(e.get("createdBy").asText()).isEqualTo(personalId);
        assertThat(e.get("modifiedBy").asText()).isEqualTo(personalId);

        JsonNode one = ok(api.get(u.path("/events/" + e.get("id").asText()), u.token()), 200).body().get("event");
        assertThat(one).isEqualTo(e);
    }

    @Test
    void createWithEveryField() {
        User u = userWithStreams("evfull", "a", "b");
        JsonNode e = ok(api.post(u.path("/events"), u.token(), Map.of(
                "id", "my-event-1", "streamIds", List.of("a", "b"), "type", "mass/kg",
                "content", Map.of("value", 72.5, "nested", List.of(1, 2)), "time", 1700000000.25, "duration", 60,
                "description", "after lunch", "clientData", Map.of("app", "x"), "tags", List.of("ignored"))),
                201).body().get("event");
        assertThat(e.get("id").asText()).isEqualTo("my-event-1");
        assertThat(e.get("streamIds").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(e.get("streamId").asText()).isEqualTo("a");
        assertThat(e.get("content").get("value").asDouble()).isEqualTo(72.5);
        assertThat(e.get("content").get("nested")).hasSize(2);
        assertThat(e.get("time").asDouble()).isEqualTo(1700000000.25);
        assertThat(e.get("duration").asDouble()).isEqualTo(60);
        assertThat(e.get("description").asText()).isEqualTo("after lunch");
        assertThat(e.get("clientData").get("app").asText()).isEqualTo("x");
        assertThat(e.get("tags")).isEmpty();
        // streamId alone works too.
        JsonNode single = ok(api.post(u.path("/events"), u.token(),
                Map.of("streamId", "b", "type", "count/steps", "content", 12)), 201).body().get("event");
        assertThat(single.get("streamIds").toString()).isEqualTo("[\"b\"]");
        // Duplicated stream ids collapse.
        JsonNode dup = ok(api.post(u.path("/events"), u.token(),
                Map.of("streamIds", List.of("a", "a"), "type", "count/steps")), 201).body().get("event");
        assertThat(dup.get("streamIds")).hasSize(1);
    }

    @Test
    void createRefusesBadInputAndChangesNothing() {
        User u = userWithStreams("evbad", "a");
        ok(api.post(u.path("/events"), u.token(), Map.of("id", "taken", "streamIds", List.of("a"), "type", "a/b")),
                201);
        List<String> before = allEventIds(u);

        Reply unknown = error(api.post(u.path("/events"), u.token(),
                Map.of("streamIds", List.of("a", "ghost", "phantom"), "type", "note/txt")), 400,
                "unknown-referenced-resource");
        assertThat(unknown.body().get("error").get("data").get("streamIds").toString())
                .isEqualTo("[\"ghost\",\"phantom\"]");
        Reply clash = error(api.post(u.path("/events"), u.token(),
                Map.of("id", "taken", "streamIds", List.of("a"), "type", "a/b")), 409, "item-already-exists");
        assertThat(clash.body().get("error").get("data").get("id").asText()).isEqualTo("taken");
        error(api.post(u.path("/events"), u.token(), Map.of("id", "Bad Id", "streamIds", List.of("a"), "type", "a/b")),
                400, "invalid-item-id");
        for (Object badType : List.of("notype", "Note/Txt", "a/b/c", "a/", "/b", 5, "a b/c")) {
            error(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("a"), "type", badType)), 400,
                    "invalid-parameters-format");
        }
        Reply many = error(api.post(u.path("/events"), u.token(),
                Map.of("streamIds", "a", "time", "noon", "duration", -1, "description", 3, "clientData", List.of(),
                        "trashed", "no", "colour", "red")), 400, "invalid-parameters-format");
        List<String> params = new java.util.ArrayList<>();
        many.body().get("error").get("data").forEach(p -> params.add(p.get("param").asText()));
        assertThat(params).contains("streamIds", "time", "duration", "description", "clientData", "trashed",
                "colour");
        error(api.post(u.path("/events"), u.token(), Map.of("type", "a/b")), 400, "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of(), "type", "a/b")), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("a"))), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of(1), "type", "a/b")), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(),
                Map.of("streamId", "x", "streamIds", List.of("a"), "type", "a/b")), 400, "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), "{\"streamIds\": [\"a\"], \"type\": \"a/b\", \"time\": 1e999}"),
                400, "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), ""), 400, "invalid-parameters-format");
        error(api.post(u.path("/events"), u.token(), "\"just a string\""), 400, "invalid-request-structure");
        error(api.post(u.path("/events"), u.token(), "{\"streamIds\": [\"a\"],"), 400, "invalid-request-structure");

        assertThat(allEventIds(u)).isEqualTo(before);
    }

    @Test
    void updateChangesOnlyWhatIsGiven() {
        User u = userWithStreams("evupd", "a", "b");
        JsonNode e = ok(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("a"), "type", "note/txt",
                "content", "v1", "description", "d", "clientData", Map.of("k", "v"), "duration", 5, "time", 1000)),
                201).body().get("event");
        String id = e.get("id").asText();
        JsonNode u1 = ok(api.put(u.path("/events/" + id), u.token(), Map.of("content", Map.of("v", 2))), 200)
                .body().get("event");
        assertThat(u1.get("content").get("v").asInt()).isEqualTo(2);
        assertThat(u1.get("description").asText()).isEqualTo("d");
        assertThat(u1.get("time").asDouble()).isEqualTo(1000);
        assertThat(u1.get("modified").asDouble()).isGreaterThan(e.get("modified").asDouble());
        assertThat(u1.get("created").asDouble()).isEqualTo(e.get("created").asDouble());

        JsonNode u2 = ok(api.put(u.path("/events/" + id), u.token(),
                json("{'streamIds': ['b', 'a'], 'type': 'mass/kg', 'time': 2000, 'description': null, "
                        + "'clientData': null, 'duration': null}")), 200).body().get("event");
        assertThat(u2.get("streamIds").toString()).isEqualTo("[\"b\",\"a\"]");
        assertThat(u2.get("streamId").asText()).isEqualTo("b");
        assertThat(u2.get("type").asText()).isEqualTo("mass/kg");
        assertThat(u2.get("time").asDouble()).isEqualTo(2000);
        assertThat(u2.has("description")).isFalse();
        assertThat(u2.has("clientData")).isFalse();
        assertThat(u2.has("duration")).isFalse();
        assertThat(ok(api.get(u.path("/events/" + id), u.token()), 200).body().get("event")).isEqualTo(u2);
        assertThat(ids(ok(api.get(u.path("/events?streams=b"), u.token()), 200).body().get("events")))
                .containsExactly(id);

        // Bad updates change nothing.
        error(api.put(u.path("/events/" + id), u.token(), Map.of("streamIds", List.of("ghost"))), 400,
                "unknown-referenced-resource");
        error(api.put(u.path("/events/" + id), u.token(), Map.of("type", "BAD")), 400, "invalid-parameters-format");
        error(api.put(u.path("/events/" + id), u.token(), Map.of("id", "other")), 400, "invalid-parameters-format");
        error(api.put(u.path("/events/" + id), u.token(), Map.of("modified", 1)), 400, "invalid-parameters-format");
        error(api.put(u.path("/events/" + id), u.token(), Map.of("streamIds", List.of())), 400,
                "invalid-parameters-format");
        error(api.put(u.path("/events/" + id), u.token(), "[]"), 400, "invalid-request-structure");
        error(api.put(u.path("/events/" + id), u.token(), "{"), 400, "invalid-request-structure");
        error(api.put(u.path("/events/ghost"), u.token(), Map.of("content", 1)), 404, "unknown-resource");
        assertThat(ok(api.get(u.path("/events/" + id), u.token()), 200).body().get("event")).isEqualTo(u2);
    }

    @Test
    void deleteTrashesFirstThenDeletes() {
        User u = userWithStreams("evdel", "a");
        String id = ok(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of("a"), "type", "a/b")), 201)
                .body().get("event").get("id").asText();
        JsonNode trashed = ok(api.delete(u.path("/events/" + id), u.token()), 200).body().get("event");
        assertThat(trashed.get("trashed").asBoolean()).isTrue();
        assertThat(ok(api.get(u.path("/events/" + id), u.token()), 200).body().get("event").get("trashed")
                .asBoolean()).isTrue();
        assertThat(ids(ok(api.get(u.path("/events"), u.token()), 200).body().get("events"))).isEmpty();
        assertThat(ids(ok(api.get(u.path("/events?state=trashed"), u.token()), 200).body().get("events")))
                .containsExactly(id);

        // Untrash through update, trash again, then delete for good.
        ok(api.put(u.path("/events/" + id), u.token(), Map.of("trashed", false)), 200);
        assertThat(ids(ok(api.get(u.path("/events"), u.token()), 200).body().get("events"))).containsExactly(id);
        ok(api.put(u.path("/events/" + id), u.token(), Map.of("trashed", true)), 200);
        Reply deleted = ok(api.delete(u.path("/events/" + id), u.token()), 200);
        assertThat(deleted.body().get("eventDeletion").get("id").asText()).isEqualTo(id);
        error(api.get(u.path("/events/" + id), u.token()), 404, "unknown-resource");
        error(api.delete(u.path("/events/" + id), u.token()), 404, "unknown-resource");
        error(api.put(u.path("/events/" + id), u.token(), Map.of("trashed", false)), 404, "unknown-resource");
        assertThat(allEventIds(u)).isEmpty();
        // A deleted event's id stays taken.
        error(api.post(u.path("/events"), u.token(), Map.of("id", id, "streamIds", List.of("a"), "type", "a/b")), 409,
                "item-already-exists");
    }

    @Test
    void unknownAndMalformedIds() {
        User u = userWithStreams("evids", "a");
        error(api.get(u.path("/events/cnope0000000000000000000000"), u.token()), 404, "unknown-resource");
        error(api.get(u.path("/events/Not%20An%20Id"), u.token()), 404, "unknown-resource");
        error(api.delete(u.path("/events/nope"), u.token()), 404, "unknown-resource");
        error(api.get(u.path("/events/x?extra=1"), u.token()), 400, "invalid-parameters-format");
        // Another user's event is unknown here.
        User other = userWithStreams("evother", "a");
        String theirs = ok(api.post(other.path("/events"), other.token(),
                Map.of("streamIds", List.of("a"), "type", "a/b")), 201).body().get("event").get("id").asText();
        error(api.get(u.path("/events/" + theirs), u.token()), 404, "unknown-resource");
        error(api.delete(u.path("/events/" + theirs), u.token()), 404, "unknown-resource");
        assertThat(allEventIds(other)).containsExactly(theirs);
    }
}
