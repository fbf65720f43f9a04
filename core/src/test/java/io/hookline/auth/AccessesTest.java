package io.hookline.auth;

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

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ids;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** accesses.get / create / delete and access-info, with who may do what (docs/API.md section 4). */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccessesTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    private static Map<String, Object> access(String type, String name, Object... streamLevelPairs) {
        List<Map<String, String>> perms = new java.util.ArrayList<>();
        for (int i = 0; i < streamLevelPairs.length; i += 2) {
            perms.add(Map.of("streamId", (String) streamLevelPairs[i], "level", (String) streamLevelPairs[i + 1]));
        }
        return Map.of("type", type, "name", name, "permissions", perms);
    }


    private void stream(User u, String id, String parentId) {
        Map<String, Object> body = parentId == null ? Map.of("id", id, "name", id)
                : Map.of("id", id, "name", id, "parentId", parentId);
        ok(api.post(u.path("/streams"), u.token(), body), 201);
    }

    private List<String> accessIds(User u) {
        return ids(ok(api.get(u.path("/accesses"), u.token()), 200).body().get("accesses"));
    }

    @Test
    void personalCreatesAppAndSharedAccesses() {
        User u = api.newUser("acc");
        stream(u, "diary", null);
        Reply r = ok(api.post(u.path("/accesses"), u.token(), access("app", "my-app", "diary", "contribute")), 201);
        JsonNode a = r.body().get("access");
        assertThat(a.get("type").asText()).isEqualTo("app");
        assertThat(a.get("name").asText()).isEqualTo("my-app");
        assertThat(a.get("token").asText()).isNotBlank();
        assertThat(a.get("apiEndpoint").asText())
                .isEqualTo("http://" + a.get("token").asText() + "@127.0.0.1:" + APP.getLocalPort() + "/"
                        + u.username() + "/");
        assertThat(a.get("permissions")).hasSize(1);
        assertThat(a.get("permissions").get(0).get("streamId").asText()).isEqualTo("diary");
        assertThat(a.get("permissions").get(0).get("level").asText()).isEqualTo("contribute");
        assertThat(a.get("created").isNumber()).isTrue();
        assertThat(a.get("modified").isNumber()).isTrue();
        assertThat(a.get("createdBy").asText()).isNotBlank();
        assertThat(a.get("modifiedBy").asText()).isEqualTo(a.get("createdBy").asText());

        // No type means shared, as in Pryv.
        JsonNode shared = ok(api.post(u.path("/accesses"), u.token(),
                Map.of("name", "for-my-doctor", "permissions", List.of(Map.of("streamId", "diary", "level", "read")))),
                201).body().get("access");
        assertThat(shared.get("type").asText()).isEqualTo("shared");
        assertThat(accessIds(u)).contains(a.get("id").asText(), shared.get("id").asText());

        // The new token works, with its own access-info.
        JsonNode info = ok(api.get(u.path("/access-info"), a.get("token").asText()), 200).body();
        assertThat(info.get("id").asText()).isEqualTo(a.get("id").asText());
        assertThat(info.get("type").asText()).isEqualTo("app");
        assertThat(info.get("name").asText()).isEqualTo("my-app");
        assertThat(info.get("user").get("username").asText()).isEqualTo(u.username());
        assertThat(info.get("permissions").get(0).get("level").asText()).isEqualTo("contribute");
    }

    @Test
    void accessInfoOfThePersonalAccess() {
        User u = api.newUser("info");
        JsonNode info = ok(api.get(u.path("/access-info"), u.token()), 200).body();
        assertThat(info.get("type").asText()).isEqualTo("personal");
        assertThat(info.get("user").get("username").asText()).isEqualTo(u.username());
        assertThat(info.get("id").asText()).isNotBlank();
        error(api.get(u.path("/access-info?foo=1"), u.token()), 400, "invalid-parameters-format");
    }

    @Test
    void nobodyCreatesPersonalAccesses() {
        User u = api.newUser("nopers");
        int before = accessIds(u).size();
        error(api.post(u.path("/accesses"), u.token(), access("personal", "sneaky")), 403, "forbidden");
        String app = api.createAccess(u, u.token(), access("app", "app", "*", "manage")).get("token").asText();
        error(api.post(u.path("/accesses"), app, access("personal", "sneaky")), 403, "forbidden");
        // The type is checked first: no other parameter could make a personal creation allowed.
        for (Object body : List.of(Map.of("type", "personal"), Map.of("type", "personal", "name", "x"),
                Map.of("type", "personal", "permissions", "not-an-array", "color", "red"))) {
            error(api.post(u.path("/accesses"), u.token(), body), 403, "forbidden");
            error(api.post(u.path("/accesses"), app, body), 403, "forbidden");
        }
        assertThat(accessIds(u)).hasSize(before + 1);
    }

    @Test
    void appCreatesSharedAccessesWithinItsOwnPermissionsOnly() {
        User u = api.newUser("appshare");
        stream(u, "top", null);
        stream(u, "mid", "top");
        stream(u, "other", null);
        String app = api.createAccess(u, u.token(), access("app", "app", "top", "contribute")).get("token").asText();

        ok(api.post(u.path("/accesses"), app, access("shared", "s-read", "top", "read")), 201);
        ok(api.post(u.path("/accesses"), app, access("shared", "s-contrib", "mid", "contribute")), 201);
        ok(api.post(u.path("/accesses"), app, access("shared", "s-create", "mid", "create-only")), 201);
        ok(api.post(u.path("/accesses"), app, access("shared", "s-none", new Object[0])), 201);

        int before = accessIds(u).size();
        error(api.post(u.path("/accesses"), app, access("shared", "x1", "mid", "manage")), 403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("shared", "x2", "other", "read")), 403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("shared", "x3", "*", "read")), 403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("shared", "x4", "top", "read", "other", "read")),
                403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("app", "x5", "top", "read")), 403, "forbidden");
        assertThat(accessIds(u)).hasSize(before);
    }

    @Test
    void appCannotGrantMoreThanItHasThroughInheritanceOrStar() {
        User u = api.newUser("escal");
        stream(u, "top", null);
        stream(u, "secret", "top");
        stream(u, "other", null);
        // Reads everything except "secret", where it may only write.
        String app = api.createAccess(u, u.token(),
                access("app", "app", "*", "read", "secret", "create-only")).get("token").asText();
        int before = accessIds(u).size();
        // Each would let the new access read "secret", which the app itself cannot.
        error(api.post(u.path("/accesses"), app, access("shared", "x1", "*", "read")), 403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("shared", "x2", "top", "read")), 403, "forbidden");
        error(api.post(u.path("/accesses"), app, access("shared", "x3", "secret", "read")), 403, "forbidden");
        assertThat(accessIds(u)).hasSize(before);
        // What stays within its own rights is fine.
        ok(api.post(u.path("/accesses"), app, access("shared", "ok1", "other", "read")), 201);
        ok(api.post(u.path("/accesses"), app, access("shared", "ok2", "*", "read", "secret", "create-only")), 201);
        ok(api.post(u.path("/accesses"), app, access("shared", "ok3", "top", "read", "secret", "create-only")),
                201);
    }

    @Test
    void sharedAccessesCannotCreateOrListAccesses() {
        User u = api.newUser("shared");
        String shared = api.createAccess(u, u.token(), access("shared", "s", "*", "manage")).get("token").asText();
        int before = accessIds(u).size();
        error(api.post(u.path("/accesses"), shared, access("shared", "s2", "*", "read")), 403, "forbidden");
        error(api.get(u.path("/accesses"), shared), 403, "forbidden");
        assertThat(accessIds(u)).hasSize(before);
    }

    @Test
    void appListsOnlyWhatItCreated() {
        User u = api.newUser("applist");
        JsonNode app = api.createAccess(u, u.token(), access("app", "app", "*", "manage"));
        JsonNode otherApp = api.createAccess(u, u.token(), access("app", "app2", "*", "manage"));
        JsonNode mine = api.createAccess(u, app.get("token").asText(), access("shared", "mine", "*", "read"));
        JsonNode theirs = api.createAccess(u, otherApp.get("token").asText(), access("shared", "t", "*", "read"));

        List<String> seenByApp = ids(ok(api.get(u.path("/accesses"), app.get("token").asText()), 200)
                .body().get("accesses"));
        assertThat(seenByApp).containsExactly(mine.get("id").asText());
        assertThat(accessIds(u)).contains(app.get("id").asText(), otherApp.get("id").asText(),
                mine.get("id").asText(), theirs.get("id").asText());
    }

    @Test
    void deleteRules() {
        User u = api.newUser("del");
        JsonNode app = api.createAccess(u, u.token(), access("app", "app", "*", "manage"));
        String appToken = app.get("token").asText();
        JsonNode otherApp = api.createAccess(u, u.token(), access("app", "app2", "*", "manage"));
        JsonNode mine = api.createAccess(u, appToken, access("shared", "mine", "*", "read"));
        JsonNode theirs = api.createAccess(u, otherApp.get("token").asText(), access("shared", "t", "*", "read"));
        String personalId = ok(api.get(u.path("/access-info"), u.token()), 200).body().get("id").asText();

        // An app deletes what it created, nothing else.
        error(api.delete(u.path("/accesses/" + theirs.get("id").asText()), appToken), 403, "forbidden");
        error(api.delete(u.path("/accesses/" + otherApp.get("id").asText()), appToken), 403, "forbidden");
        error(api.delete(u.path("/accesses/" + personalId), appToken), 403, "forbidden");
        Reply deleted = ok(api.delete(u.path("/accesses/" + mine.get("id").asText()), appToken), 200);
        assertThat(deleted.body().get("accessDeletion").get("id").asText()).isEqualTo(mine.get("id").asText());
        error(api.get(u.path("/access-info"), mine.get("token").asText()), 403, "invalid-access-token");

        // A shared access deletes nothing of others.
        String theirsToken = theirs.get("token").asText();
        error(api.delete(u.path("/accesses/" + app.get("id").asText()), theirsToken), 403, "forbidden");

        // Personal deletes any; the token stops working at once.
        ok(api.delete(u.path("/accesses/" + theirs.get("id").asText()), u.token()), 200);
        error(api.get(u.path("/events"), theirsToken), 403, "invalid-access-token");
        error(api.delete(u.path("/accesses/" + theirs.get("id").asText()), u.token()), 404, "unknown-resource");
        assertThat(accessIds(u)).doesNotContain(mine.get("id").asText(), theirs.get("id").asText())
                .contains(app.get("id").asText(), otherApp.get("id").asText());
    }

    @Test
    void expiredAccessesAreRefused() {
        User u = api.newUser("expire");
        JsonNode expired = api.createAccess(u, u.token(),
                Map.of("type", "app", "name", "gone", "permissions", List.of(), "expireAfter", 0));
        error(api.get(u.path("/access-info"), expired.get("token").asText()), 403, "invalid-access-token");

        double now = System.currentTimeMillis() / 1000.0;
        JsonNode valid = api.createAccess(u, u.token(),
                Map.of("type", "app", "name", "later", "permissions", List.of(), "expireAfter", 3600));
        assertThat(valid.get("expires").asDouble()).isBetween(now + 3590, now + 3700);
        JsonNode info = ok(api.get(u.path("/access-info"), valid.get("token").asText()), 200).body();
        assertThat(info.get("expires").asDouble()).isEqualTo(valid.get("expires").asDouble());

        // Absurdly far is not an overflow into the past.
        JsonNode far = api.createAccess(u, u.token(),
                Map.of("type", "app", "name", "far", "permissions", List.of(), "expireAfter", 1e300));
        ok(api.get(u.path("/access-info"), far.get("token").asText()), 200);
        assertThat(far.get("expires").asDouble()).isGreaterThan(now);

        error(api.post(u.path("/accesses"), u.token(),
                Map.of("type", "app", "name", "neg", "permissions", List.of(), "expireAfter", -1)),
                400, "invalid-parameters-format");
    }

    @Test
    void badAccessesAreRefusedWithEveryProblemListed() {
        User u = api.newUser("badacc");
        int before = accessIds(u).size();
        Reply r = error(api.post(u.path("/accesses"), u.token(),
                Map.of("type", "robot", "permissions", List.of(Map.of("streamId", "x", "level", "admin")),
                        "colour", "blue")), 400, "invalid-parameters-format");
        List<String> params = new java.util.ArrayList<>();
        r.body().get("error").get("data").forEach(p -> params.add(p.get("param").asText()));
        assertThat(params).contains("type", "name", "permissions", "colour");

        error(api.post(u.path("/accesses"), u.token(), Map.of("name", "n", "permissions", "all")), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/accesses"), u.token(), Map.of("name", "n")), 400, "invalid-parameters-format");
        error(api.post(u.path("/accesses"), u.token(),
                Map.of("name", "n", "permissions", List.of(Map.of("streamId", 3, "level", "read")))), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/accesses"), u.token(), Map.of("name", 7, "permissions", List.of())), 400,
                "invalid-parameters-format");
        error(api.post(u.path("/accesses"), u.token(), List.of()), 400, "invalid-request-structure");

        // Same type and name: a clash.
        api.createAccess(u, u.token(), access("app", "twice"));
        Reply clash = error(api.post(u.path("/accesses"), u.token(), access("app", "twice")), 409,
                "item-already-exists");
        assertThat(clash.body().get("error").get("data").get("name").asText()).isEqualTo("twice");
        error(api.delete(u.path("/accesses/nope"), u.token()), 404, "unknown-resource");
        assertThat(accessIds(u)).hasSize(before + 1);
    }
}
