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

/** streams.get / create / update / delete over REST (docs/API.md section 5). */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamsTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);


    private JsonNode create(User u, Object body) {
        return ok(api.post(u.path("/streams"), u.token(), body), 201).body().get("stream");
    }

    private JsonNode create(User u, String id, String parentId) {
        return create(u, parentId == null ? Map.of("id", id, "name", id)
                : Map.of("id", id, "name", id, "parentId", parentId));
    }

    private JsonNode tree(User u, String query) {
        return ok(api.get(u.path("/streams" + query), u.token()), 200).body().get("streams");
    }

    private String eventIn(User u, String... streamIds) {
        return ok(api.post(u.path("/events"), u.token(), Map.of("streamIds", List.of(streamIds), "type", "note/txt",
                "content", "hi")), 201).body().get("event").get("id").asText();
    }

    @Test
    void createAndReadTheTree() {
        User u = api.newUser("tree");
        JsonNode health = create(u, Map.of("id", "health", "name", "Health", "clientData", Map.of("color", "red")));
        assertThat(health.get("name").asText()).isEqualTo("Health");
        assertThat(health.get("parentId").isNull()).isTrue();
        assertThat(health.get("trashed").asBoolean()).isFalse();
        assertThat(health.get("children")).isEmpty();
        assertThat(health.get("clientData").get("color").asText()).isEqualTo("red");
        assertThat(health.get("created").isNumber()).isTrue();
        assertThat(health.get("createdBy").asText()).isNotBlank();
        create(u, "heart", "health");
        create(u, "rate", "heart");
        create(u, "notes", null);

        JsonNode roots = tree(u, "");
        assertThat(ids(roots)).containsExactly("health", "notes");
        JsonNode heart = roots.get(0).get("children").get(0);
        assertThat(heart.get("id").asText()).isEqualTo("heart");
        assertThat(heart.get("parentId").asText()).isEqualTo("health");
        assertThat(ids(heart.get("children"))).containsExactly("rate");

        assertThat(ids(tree(u, "?parentId=health"))).containsExactly("heart");
        assertThat(ids(tree(u, "?parentId=heart"))).containsExactly("rate");
        assertThat(tree(u, "?parentId=rate")).isEmpty();
        error(api.get(u.path("/streams?parentId=nope"), u.token()), 400, "unknown-referenced-resource");
        error(api.get(u.path("/streams?state=weird"), u.token()), 400, "invalid-parameters-format");
        error(api.get(u.path("/streams?colour=red"), u.token()), 400, "invalid-parameters-format");
    }

    @Test
    void idsComeFromTheNameWhenNotGiven() {
        User u = api.newUser("slug");
        assertThat(create(u, Map.of("name", "My Diary")).get("id").asText()).isEqualTo("my-diary");
        JsonNode parent = create(u, Map.of("name", "Parent"));
        // Same name elsewhere in the tree: a free id is found.
        assertThat(create(u, Map.of("name", "My Diary", "parentId", parent.get("id").asText())).get("id").asText())
                .isEqualTo("my-diary-2");
        assertThat(create(u, Map.of("name", "!!!")).get("id").asText()).matches("c[a-z0-9]{24}");
    }

    @Test
    void createRefusesBadInputAndChangesNothing() {
        User u = api.newUser("badstream");
        create(u, "a", null);
        create(u, "child", "a");
        JsonNode before = tree(u, "?state=all");

        Reply clash = error(api.post(u.path("/streams"), u.token(), Map.of("name", "child", "parentId", "a")), 409,
                "item-already-exists");
        assertThat(clash.body().get("error").get("data").get("name").asText()).isEqualTo("child");
        Reply idClash = error(api.post(u.path("/streams"), u.token(), Map.of("id", "a", "name", "another")), 409,
                "item-already-exists");
        assertThat(idClash.body().get("error").get("data").get("id").asText()).isEqualTo("a");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", "x", "parentId", "ghost")), 400,
                "unknown-referenced-resource");
        error(api.post(u.path("/streams"), u.token(), Map.of("id", "bad id!", "name", "x")), 400, "invalid-item-id");
        error(api.post(u.path("/streams"), u.token(), Map.of("id", "*", "name", "x")), 400, "invalid-item-id");
        error(api.post(u.path("/streams"), u.token(), Map.of("id", "ok")), 400, "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", "")), 400, "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", 42)), 400, "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", "x", "parentId", 1)), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", "x", "clientData", "str")), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), Map.of("name", "x", "children", List.of())), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/streams"), u.token(), "[1,2]"), 400, "invalid-request-structure");
        error(api.post(u.path("/streams"), u.token(), "{\"name\": "), 400, "invalid-request-structure");

        assertThat(tree(u, "?state=all")).isEqualTo(before);
        // The same name under another parent is fine.
        create(u, Map.of("name", "child"));
    }

    @Test
    void updateRenamesMovesAndSetsClientData() {
        User u = api.newUser("upd");
        create(u, "a", null);
        create(u, "b", null);
        create(u, "a1", "a");
        Reply r = ok(api.put(u.path("/streams/a1"), u.token(),
                Map.of("name", "Renamed", "parentId", "b", "clientData", Map.of("k", 1))), 200);
        JsonNode s = r.body().get("stream");
        assertThat(s.get("name").asText()).isEqualTo("Renamed");
        assertThat(s.get("parentId").asText()).isEqualTo("b");
        assertThat(s.get("clientData").get("k").asInt()).isEqualTo(1);
        assertThat(s.get("modified").asDouble()).isGreaterThanOrEqualTo(s.get("created").asDouble());
        assertThat(ids(tree(u, "?parentId=b"))).containsExactly("a1");
        assertThat(tree(u, "?parentId=a")).isEmpty();

        // null clears clientData; parentId null moves to the root.
        s = ok(api.put(u.path("/streams/a1"), u.token(), json("{'clientData': null, 'parentId': null}")), 200)
                .body().get("stream");
        assertThat(s.has("clientData")).isFalse();
        assertThat(s.get("parentId").isNull()).isTrue();
        assertThat(ids(tree(u, ""))).contains("a", "b", "a1");
    }

    @Test
    void updateRefusesCyclesClashesAndBadInput() {
        User u = api.newUser("cycle");
        create(u, "a", null);
        create(u, "b", "a");
        create(u, "c", "b");
        create(u, "sib", "a");
        JsonNode before = tree(u, "?state=all");

        error(api.put(u.path("/streams/a"), u.token(), Map.of("parentId", "c")), 400, "invalid-operation");
        error(api.put(u.path("/streams/a"), u.token(), Map.of("parentId", "a")), 400, "invalid-operation");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("parentId", "b")), 400, "invalid-operation");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("parentId", "c")), 400, "invalid-operation");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("name", "sib")), 409, "item-already-exists");
        create(u, Map.of("id", "other-c", "name", "c"));
        error(api.put(u.path("/streams/other-c"), u.token(), Map.of("parentId", "b")), 409, "item-already-exists");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("parentId", "ghost")), 400,
                "unknown-referenced-resource");
        error(api.put(u.path("/streams/ghost"), u.token(), Map.of("name", "x")), 404, "unknown-resource");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("id", "new-id")), 400, "invalid-parameters-format");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("created", 1)), 400, "invalid-parameters-format");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("name", "")), 400, "invalid-parameters-format");
        error(api.put(u.path("/streams/b"), u.token(), Map.of("trashed", "yes")), 400, "invalid-parameters-format");
        error(api.put(u.path("/streams/b"), u.token(), "[]"), 400, "invalid-request-structure");
        error(api.put(u.path("/streams/b"), u.token(), "{bad"), 400, "invalid-request-structure");

        JsonNode after = tree(u, "?state=all");
        assertThat(after.get(0)).isEqualTo(before.get(0));
    }

    @Test
    void deleteTrashesFirstThenDeletes() {
        User u = api.newUser("trash");
        create(u, "a", null);
        create(u, "a1", "a");
        create(u, "keep", null);
        double since = ok(api.get(u.path("/streams"), u.token()), 200).body().get("meta").get("serverTime")
                .asDouble();

        Reply trashed = ok(api.delete(u.path("/streams/a"), u.token()), 200);
        assertThat(trashed.body().get("stream").get("trashed").asBoolean()).isTrue();
        // Trashed streams (and their children) leave the default view, stay in state=all.
        assertThat(ids(tree(u, ""))).containsExactly("keep");
        JsonNode all = tree(u, "?state=all");
        assertThat(ids(all)).containsExactly("a", "keep");
        assertThat(ids(all.get(0).get("children"))).containsExactly("a1");

        Reply deleted = ok(api.delete(u.path("/streams/a"), u.token()), 200);
        assertThat(deleted.body().get("streamDeletion").get("id").asText()).isEqualTo("a");
        assertThat(ids(tree(u, "?state=all"))).containsExactly("keep");
        error(api.delete(u.path("/streams/a"), u.token()), 404, "unknown-resource");
        error(api.delete(u.path("/streams/ghost"), u.token()), 404, "unknown-resource");

        JsonNode body = ok(api.get(u.path("/streams?includeDeletionsSince=" + since), u.token()), 200).body();
        assertThat(ids(body.get("streamDeletions"))).containsExactlyInAnyOrder("a", "a1");
        body.get("streamDeletions").forEach(d -> assertThat(d.get("deleted").asDouble()).isGreaterThan(since));
        double later = body.get("meta").get("serverTime").asDouble();
        assertThat(ok(api.get(u.path("/streams?includeDeletionsSince=" + later), u.token()), 200).body()
                .get("streamDeletions")).isEmpty();
        assertThat(ok(api.get(u.path("/streams"), u.token()), 200).body().has("streamDeletions")).isFalse();

        // Trashing through update, then restoring.
        ok(api.put(u.path("/streams/keep"), u.token(), Map.of("trashed", true)), 200);
        assertThat(tree(u, "")).isEmpty();
        ok(api.put(u.path("/streams/keep"), u.token(), Map.of("trashed", false)), 200);
        assertThat(ids(tree(u, ""))).containsExactly("keep");
        // The name of a deleted stream is free again.
        create(u, Map.of("name", "a"));
    }

    @Test
    void deletingAStreamWithEventsNeedsMergeEventsWithParent() {
        User u = api.newUser("merge");
        create(u, "p", null);
        create(u, "s", "p");
        create(u, "s1", "s");
        String inChild = eventIn(u, "s1");
        String inS = eventIn(u, "s");
        ok(api.delete(u.path("/streams/s"), u.token()), 200);

        error(api.delete(u.path("/streams/s"), u.token()), 400, "invalid-parameters-format");
        assertThat(ids(tree(u, "?state=all").get(0).get("children"))).containsExactly("s");
        assertThat(eventIdsIn(u, "p")).containsExactlyInAnyOrder(inChild, inS);

        ok(api.delete(u.path("/streams/s?mergeEventsWithParent=true"), u.token()), 200);
        assertThat(tree(u, "?state=all").get(0).get("children")).isEmpty();
        JsonNode moved = ok(api.get(u.path("/events/" + inChild), u.token()), 200).body().get("event");
        assertThat(moved.get("streamIds")).hasSize(1);
        assertThat(moved.get("streamId").asText()).isEqualTo("p");
        assertThat(eventIdsIn(u, "p")).containsExactlyInAnyOrder(inChild, inS);
    }

    @Test
    void deletingWithoutMergeDeletesEventsLeftInNoStream() {
        User u = api.newUser("nomerge");
        create(u, "gone", null);
        create(u, "stay", null);
        String only = eventIn(u, "gone");
        String both = eventIn(u, "gone", "stay");
        double since = ok(api.get(u.path("/events"), u.token()), 200).body().get("meta").get("serverTime")
                .asDouble();
        ok(api.delete(u.path("/streams/gone"), u.token()), 200);
        // A root stream has no parent to merge into.
        error(api.delete(u.path("/streams/gone?mergeEventsWithParent=true"), u.token()), 400, "invalid-operation");
        ok(api.delete(u.path("/streams/gone?mergeEventsWithParent=false"), u.token()), 200);

        error(api.get(u.path("/events/" + only), u.token()), 404, "unknown-resource");
        JsonNode kept = ok(api.get(u.path("/events/" + both), u.token()), 200).body().get("event");
        assertThat(kept.get("streamIds").get(0).asText()).isEqualTo("stay");
        assertThat(kept.get("streamIds")).hasSize(1);
        JsonNode sync = ok(api.get(u.path("/events?modifiedSince=" + since + "&includeDeletions=true&state=all"),
                u.token()), 200).body();
        assertThat(ids(sync.get("eventDeletions"))).containsExactly(only);
        assertThat(ids(sync.get("events"))).containsExactly(both);
    }

    private List<String> eventIdsIn(User u, String stream) {
        return ids(ok(api.get(u.path("/events?streams[]=" + stream + "&state=all"), u.token()), 200).body()
                .get("events"));
    }
}
