package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.hookline.support.Replies.error;
import static io.hookline.support.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** access-info with every field, accesses.checkApp and auth.logout. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccessInfoTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();
    final ApiClient api = TestApps.client(APP);

    private static Map<String, Object> perm(String streamId, String level) {
        return Map.of("streamId", streamId, "level", level);
    }

    private JsonNode app(User u, String name, List<Map<String, Object>> permissions) {
        return api.createAccess(u, u.token(), Map.of("type", "app", "name", name, "permissions", permissions));
    }

    @Test
    void accessInfoShowsTheWholeAccessAndItsUser() {
        User u = api.newUser("info");
        JsonNode created = app(u, "reader", List.of(perm("*", "read")));
        JsonNode info = ok(api.get("/" + u.username() + "/access-info", created.get("token").asText()), 200).body();
        for (String field : List.of("id", "token", "type", "name", "permissions", "created", "createdBy",
                "modified", "modifiedBy", "apiEndpoint")) {
            assertThat(info.get(field)).as(field).isEqualTo(created.get(field));
        }
        assertThat(info.get("user").get("username").asText()).isEqualTo(u.username());
    }

    @Test
    void checkAppFindsTheMatchingOrMismatchingAccess() {
        User u = api.newUser("check");
        String path = "/" + u.username() + "/accesses/check-app";
        List<Map<String, Object>> wanted = List.of(Map.of("streamId", "steps", "level", "read",
                "defaultName", "Steps"));

        JsonNode none = ok(api.post(path, u.token(), Map.of("requestingAppId", "step-app",
                "requestedPermissions", wanted)), 200).body();
        assertThat(none.get("checkedPermissions")).isEqualTo(ApiClient.json(
                "[{'streamId': 'steps', 'level': 'read', 'defaultName': 'Steps'}]"));
        assertThat(none.has("matchingAccess") || none.has("mismatchingAccess")).isFalse();

        JsonNode access = app(u, "step-app", List.of(perm("steps", "read")));
        JsonNode match = ok(api.post(path, u.token(), Map.of("requestingAppId", "step-app",
                "requestedPermissions", wanted)), 200).body();
        assertThat(match.get("matchingAccess").get("id")).isEqualTo(access.get("id"));
        assertThat(match.get("matchingAccess").get("token")).isEqualTo(access.get("token"));

        JsonNode mismatch = ok(api.post(path, u.token(), Map.of("requestingAppId", "step-app",
                "requestedPermissions", List.of(perm("steps", "manage")))), 200).body();
        assertThat(mismatch.get("mismatchingAccess").get("id")).isEqualTo(access.get("id"));
        assertThat(mismatch.has("matchingAccess")).isFalse();

        JsonNode batch = ok(api.post("/" + u.username() + "/", u.token(), List.of(Map.of("method",
                "accesses.checkApp", "params", Map.of("requestingAppId", "step-app",
                        "requestedPermissions", wanted)))), 200).body().get("results").get(0);
        assertThat(batch.get("matchingAccess").get("id")).isEqualTo(access.get("id"));
    }

    @Test
    void checkAppIsForPersonalAccessesWithWellFormedRequests() {
        User u = api.newUser("checkbad");
        String path = "/" + u.username() + "/accesses/check-app";
        String appToken = app(u, "some-app", List.of(perm("*", "read"))).get("token").asText();
        error(api.post(path, appToken, Map.of("requestingAppId", "x",
                "requestedPermissions", List.of(perm("*", "read")))), 403, "forbidden");
        error(api.post(path, u.token(), Map.of("requestedPermissions", List.of())), 400, "invalid-parameters-format");
        error(api.post(path, u.token(), Map.of("requestingAppId", "x")), 400, "invalid-parameters-format");
        error(api.post(path, u.token(), Map.of("requestingAppId", "x",
                "requestedPermissions", List.of(perm("a", "admin")))), 400, "invalid-parameters-format");
        error(api.post(path, u.token(), Map.of("requestingAppId", "x",
                "requestedPermissions", List.of(Map.of("streamId", "a", "level", "read", "colour", "red")))),
                400, "invalid-parameters-format");
        error(api.post(path, u.token(), Map.of("requestingAppId", "x", "requestedPermissions", List.of(),
                "unknown", 1)), 400, "invalid-parameters-format");
    }

    @Test
    void logoutEndsTheSessionButNotWhatItCreated() {
        User u = api.newUser("logout");
        error(api.post("/" + u.username() + "/auth/logout", null, Map.of()), 401, "invalid-access-token");
        ApiClient.Reply created = ok(api.post("/system/create-user", TestApps.ADMIN_KEY, Map.of(
                "username", u.username() + "-pw", "password", "a-password")), 201);
        String user = u.username() + "-pw";
        String personal = ok(api.post("/" + user + "/auth/login", null, Map.of("username", user,
                "password", "a-password", "appId", "web")), 200).body().get("token").asText();
        User owner = new User(user, personal);
        String appToken = app(owner, "kept-app", List.of(perm("*", "read"))).get("token").asText();
        ok(api.post("/" + user + "/webhooks", appToken, Map.of("url", "http://127.0.0.1:9/hook")), 201);

        String other = created.body().get("token").asText();
        error(api.post("/" + user + "/auth/logout", appToken, Map.of()), 403, "forbidden");
        assertThat(ok(api.post("/" + user + "/auth/logout", personal, Map.of()), 200).body().size()).isEqualTo(1);

        error(api.get("/" + user + "/access-info", personal), 403, "invalid-access-token");
        ok(api.get("/" + user + "/access-info", other), 200);
        ok(api.get("/" + user + "/access-info", appToken), 200);
        assertThat(ok(api.get("/" + user + "/webhooks", appToken), 200).body().get("webhooks")).hasSize(1);
        // Logging in again opens a new session.
        String again = ok(api.post("/" + user + "/auth/login", null, Map.of("username", user,
                "password", "a-password", "appId", "web")), 200).body().get("token").asText();
        assertThat(again).isNotEqualTo(personal);
        ok(api.get("/" + user + "/access-info", again), 200);
    }
}
